"""Who in the office is told what about a case, in the app and by e-mail after commit (core.notifications).

Every text names a case by registration number and a task by its rule's title only: never a child, and never a
title typed by hand, which may hold a name (UU SPPA Pasal 19)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from perisai.accounts.choices import Role
from perisai.accounts.selectors import office_staff
from perisai.cases.choices import ApprovalDecision, ApprovalKind, CaseStatus
from perisai.cases.models import Case, CaseApproval, CaseTask
from perisai.cases.policies import case_policy
from perisai.core.choices import NotificationKind
from perisai.core.notifications import notify

DUE_SOON = dt.timedelta(hours=24)


def _link(case: Case) -> str:
    return reverse("cases:detail", args=[case.public_id])


def approval_requested(approval: CaseApproval) -> None:
    """Every supervisor who may decide it (not the one who asked; restricted cases: only those in its team)."""
    case = approval.case
    deciders = [
        user
        for user in office_staff(Role.SUPERVISOR).exclude(pk=approval.requested_by_id)
        if case_policy.can(user, "decide_approval", case)
    ]
    template = (
        _("Rencana intervensi kasus %(number)s menunggu persetujuan Anda.")
        if approval.kind == ApprovalKind.PLAN
        else _("Terminasi kasus %(number)s menunggu persetujuan Anda.")
    )
    notify(
        users=deciders,
        message=template % {"number": case.registration_number},
        url=_link(case),
        kind=NotificationKind.APPROVAL,
    )


def approval_decided(approval: CaseApproval) -> None:
    """The one who asked, and the case manager if someone else asked."""
    case = approval.case
    approved = approval.decision == ApprovalDecision.APPROVED
    if approval.kind == ApprovalKind.PLAN:
        template = (
            _("Rencana intervensi kasus %(number)s disetujui.")
            if approved
            else _("Rencana intervensi kasus %(number)s dikembalikan untuk diperbaiki.")
        )
    else:
        template = (
            _("Terminasi kasus %(number)s disetujui.")
            if approved
            else _("Terminasi kasus %(number)s dikembalikan untuk diperbaiki.")
        )
    people = [approval.requested_by, case.case_manager]
    notify(
        users=[user for user in people if user is not None and user.pk != approval.decided_by_id],
        message=template % {"number": case.registration_number},
        url=_link(case),
        kind=NotificationKind.APPROVAL,
    )


def tasks_notify_due(now: dt.datetime | None = None) -> int:
    """Tell each task's owner once when its deadline is within 24 hours, and once when it has passed. Snoozed
    tasks wait until the snooze ends; tasks of closed cases are not work any more. Idempotent: run it as often as
    you like (the daily digest does, and `manage.py notify_due_tasks` from cron every hour)."""
    now = now or timezone.now()
    open_tasks = (
        CaseTask.objects.filter(done_at__isnull=True, assignee__isnull=False)
        .exclude(case__status=CaseStatus.CLOSED)
        .exclude(snoozed_until__gt=now)
        .select_related("case", "assignee")
    )
    sent = 0
    soon = open_tasks.filter(due_soon_notified_at__isnull=True, due_at__gt=now, due_at__lte=now + DUE_SOON)
    for task in soon:
        if not _claim(task, "due_soon_notified_at", now):
            continue  # another run (the digest and cron at once) told the owner already
        when = timezone.localtime(task.due_at).strftime("%d-%m-%Y %H:%M")
        sent += _tell_owner(
            task,
            _("Batas tugas %(task)s kasus %(number)s: %(when)s WIB.")
            % {"task": _task_name(task), "number": task.case.registration_number, "when": when},
        )
    for task in open_tasks.filter(overdue_notified_at__isnull=True, due_at__lte=now):
        if not _claim(task, "overdue_notified_at", now):
            continue
        # A task already late when first seen was never "due soon": nothing more is sent for it.
        CaseTask.objects.filter(pk=task.pk, due_soon_notified_at__isnull=True).update(due_soon_notified_at=now)
        sent += _tell_owner(
            task,
            _("Tugas %(task)s kasus %(number)s sudah melewati batas waktu.")
            % {"task": _task_name(task), "number": task.case.registration_number},
        )
    return sent


def _claim(task: CaseTask, flag: str, now: dt.datetime) -> bool:
    """Mark the task told, only if nobody did: one UPDATE that only one concurrent run can win."""
    return CaseTask.objects.filter(pk=task.pk, **{f"{flag}__isnull": True}).update(**{flag: now}) == 1


def _task_name(task: CaseTask) -> str:
    return f"“{task.display_title}”" if task.rule else _("(tugas tambahan)")


def _tell_owner(task: CaseTask, message: str) -> int:
    # The owner must still be allowed to open the case (a worker who handed it over keeps no news of it).
    if not case_policy.can(task.assignee, "view", task.case):
        return 0
    return len(notify(users=[task.assignee], message=message, url=_link(task.case), kind=NotificationKind.TASK_DUE))
