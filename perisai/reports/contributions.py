"""What reports add to the portal (perisai.core.contributions)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from perisai.core.contributions import MenuLink, Metric
from perisai.reports import selectors
from perisai.reports.demo import describe as describe_demo
from perisai.reports.demo import seed as seed_demo
from perisai.reports.policies import report_policy

__all__ = ["describe_demo", "menu_links", "metrics", "seed_demo"]


def menu_links(user) -> list[MenuLink]:
    if not report_policy.can(user, "view"):
        return []
    return [
        MenuLink(_("Kotak masuk laporan"), reverse("reports:inbox"), 60),
        MenuLink(_("Catat laporan dari saluran lain"), reverse("reports:intake"), 61),
    ]


def metrics(now: dt.datetime) -> list[Metric]:
    received, late = selectors.report_figures(now)
    return [
        Metric("perisai_reports_received_total", "Reports received, by channel", "counter",
               [({"channel": channel}, count) for channel, count in received.items()]),
        Metric("perisai_reports_first_contact_overdue", "Reports past their first-contact deadline, not contacted",
               "gauge", [({}, late)]),
    ]  # fmt: skip
