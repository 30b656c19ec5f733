"""What the public information pages add to the portal (perisai.core.contributions)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from perisai.core.contributions import MenuLink
from perisai.publicinfo.policies import info_page_policy


def menu_links(user) -> list[MenuLink]:
    if not info_page_policy.can(user, "view"):
        return []
    return [MenuLink(_("Halaman informasi publik"), reverse("publicinfo:list"), 80)]
