"""What cases add to the portal (perisai.core.contributions): the case list link, the digest's task lines, demo."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perisai.accounts.choices import Role
from perisai.cases import notices, selectors
from perisai.cases.choices import CaseStatus
from perisai.cases.demo import describe as describe_demo
from perisai.cases.demo import seed as seed_demo
from perisai.cases.models import CaseTask
from perisai.cases.policies import case_policy
from perisai.core.contributions import MenuLink, Metric

__all__ = ["before_digest", "describe_demo", "digest_lines", "menu_links", "metrics", "seed_demo"]


def before_digest(now: dt.datetime) -> None:
    """Owners hear once of tasks due within 24 hours and of tasks gone late (also hourly: notify_due_tasks)."""
    notices.tasks_notify_due(now)


def menu_links(user) -> list[MenuLink]:
    if not case_policy.can(user, "list"):
        return []
    links = [
        MenuLink(_("Tugas saya"), reverse("cases:my_tasks"), 5),
        MenuLink(_("Kasus saya"), reverse("cases:list"), 10),
    ]
    if case_policy.can(user, "see_team"):
        links.append(MenuLink(_("Tim dan beban kerja"), reverse("cases:team"), 11))
    return links


def digest_lines(user, now: dt.datetime) -> list[str]:
    """This person's overdue and due-today tasks (a supervisor: their office's); registration numbers, tasks and
    dates only."""
    open_tasks = CaseTask.objects.filter(done_at__isnull=True, due_at__lte=now + dt.timedelta(days=1)).exclude(
        case__status=CaseStatus.CLOSED
    )
    mine = open_tasks.filter(assignee=user)
    if user.has_role(Role.SUPERVISOR):
        mine = open_tasks.filter(assignee__agency=user.agency)  # their office's overdue and due work
    lines = []
    for item in mine.select_related("case", "assignee").order_by("due_at")[:200]:
        state = "TERLAMBAT" if item.due_at < now else "hari ini"
        local = timezone.localtime(item.due_at).strftime("%d-%m-%Y %H:%M")
        lines.append(f"- [{state}] {item.case.registration_number}: {item.title} (batas {local}, {item.assignee})")
    return lines


def metrics(now: dt.datetime) -> list[Metric]:
    return [
        Metric("perisai_case_tasks_overdue", "Open case tasks past their deadline (legal and service standards)",
               "gauge", [({}, selectors.tasks_overdue_count(now))]),
    ]  # fmt: skip
