"""What the API adds to the portal (perisai.core.contributions): the link to one's own API tokens."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from perisai.api.policies import api_policy
from perisai.core.contributions import MenuLink

__all__ = ["menu_links"]


def menu_links(user) -> list[MenuLink]:
    if not api_policy.can(user, "manage_tokens"):
        return []
    return [MenuLink(_("Token API"), reverse("api_tokens:list"), 85)]
