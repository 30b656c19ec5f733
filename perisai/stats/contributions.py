"""What statistics add to the portal (perisai.core.contributions)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from perisai.core.contributions import MenuLink
from perisai.stats.policies import stats_policy


def menu_links(user) -> list[MenuLink]:
    if not stats_policy.can(user, "dashboard"):
        return []
    return [MenuLink(_("Dasbor statistik"), reverse("stats:dashboard"), 50)]
