"""What prevention adds to the portal (perisai.core.contributions): the menu link and demo data."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from perisai.core.contributions import MenuLink
from perisai.prevention.demo import describe as describe_demo
from perisai.prevention.demo import seed as seed_demo
from perisai.prevention.policies import activity_policy

__all__ = ["describe_demo", "menu_links", "seed_demo"]


def menu_links(user) -> list[MenuLink]:
    if not activity_policy.can(user, "list"):
        return []
    return [MenuLink(_("Pencegahan dan PATBM"), reverse("prevention:activities"), 32)]
