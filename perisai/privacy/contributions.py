"""What the data-protection registers add to the portal (perisai.core.contributions)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from perisai.core.contributions import MenuLink
from perisai.privacy.policies import breach_policy, subject_request_policy


def menu_links(user) -> list[MenuLink]:
    links = []
    if subject_request_policy.can(user, "view"):
        links.append(MenuLink(_("Permintaan subjek data (UU PDP)"), reverse("privacy:subject_request_list"), 70))
    if breach_policy.can(user, "view"):
        links.append(MenuLink(_("Insiden kebocoran data"), reverse("privacy:breach_list"), 71))
    return links
