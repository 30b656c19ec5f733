"""What ops adds to the portal (perisai.core.contributions)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from perisai.core.contributions import MenuLink
from perisai.ops import policies

__all__ = ["menu_links"]


def menu_links(user) -> list[MenuLink]:
    if not policies.can_view_background(user):
        return []
    return [MenuLink(_("Server: tugas latar belakang dan jadwal"), reverse("ops:background"), 92)]
