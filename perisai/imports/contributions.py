"""What imports add to the portal (perisai.core.contributions): the menu link for supervisors."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from perisai.core.contributions import MenuLink
from perisai.imports.policies import import_policy

__all__ = ["menu_links"]


def menu_links(user) -> list[MenuLink]:
    if not import_policy.can(user, "import"):
        return []
    return [MenuLink(_("Impor register lama"), reverse("imports:upload"), 75)]
