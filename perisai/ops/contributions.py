"""What ops adds to the portal (perisai.core.contributions)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from perisai.core.contributions import MenuLink
from perisai.ops import policies

__all__ = ["menu_links"]


def menu_links(user) -> list[MenuLink]:
    links = []
    if policies.can_view_background(user):
        links.append(MenuLink(_("Server: tugas latar belakang dan jadwal"), reverse("ops:background"), 92))
    if policies.can_manage_holidays(user):
        links.append(MenuLink(_("Hari libur kantor"), reverse("ops:holidays"), 91))
    return links
