"""What reports add to the portal (perisai.core.contributions)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from perisai.core.contributions import MenuLink
from perisai.reports.demo import describe as describe_demo
from perisai.reports.demo import seed as seed_demo
from perisai.reports.policies import report_policy

__all__ = ["describe_demo", "menu_links", "seed_demo"]


def menu_links(user) -> list[MenuLink]:
    if not report_policy.can(user, "view"):
        return []
    return [
        MenuLink(_("Kotak masuk laporan"), reverse("reports:inbox"), 60),
        MenuLink(_("Catat laporan dari saluran lain"), reverse("reports:intake"), 61),
    ]
