"""Reads of cases, always scoped by the access policy; opening a case file is audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Count, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from perisai.audit.choices import AuditAction
from perisai.audit.models import AuditEvent
from perisai.audit.selectors import openings_of
from perisai.audit.services import audit_record
from perisai.cases.choices import ApprovalDecision, CaseStatus
from perisai.cases.models import Case, CaseAccessChange, CaseAccessGrant, CaseApproval, CaseTask, CaseTeamMember
from perisai.cases.policies import OPEN_STATUSES, case_policy

TIMELINE_ACTIONS = (
    AuditAction.CASE_OPENED,
    AuditAction.CASE_ASSIGNED,
    AuditAction.CASE_TRANSITIONED,
    AuditAction.CASE_UPDATED,
    AuditAction.APPROVAL_REQUESTED,
    AuditAction.APPROVAL_DECIDED,
    AuditAction.REPORT_ATTACHED,
    AuditAction.CONSENT_RECORDED,
    AuditAction.BREAK_THE_GLASS,
    AuditAction.CASE_RESTRICTED,
    AuditAction.CASE_UNRESTRICTED,
    AuditAction.ATTACHMENT_STORED,
    AuditAction.PRINTED,
    AuditAction.REFERRAL_SENT,
    AuditAction.SHARING_OVERRIDE,
    AuditAction.REFERRAL_ACCEPTED,
    AuditAction.REFERRAL_DECLINED,
    AuditAction.REFERRAL_QUESTION,
    AuditAction.REFERRAL_ANSWERED,
    AuditAction.REFERRAL_ACTION,
    AuditAction.REFERRAL_COMPLETED,
    AuditAction.REFERRAL_REVOKED,
)


def case_list(*, actor, mine_only: bool = False) -> QuerySet[Case]:
    cases = case_policy.visible_to(actor).select_related("case_manager", "kecamatan")
    return cases.filter(case_manager=actor) if mine_only else cases


CASES_PER_PAGE = 25
# Up to this many matching cases, each case's late tasks are counted on their own; above it, only those of the
# cases in the set of cases with late tasks (see case_list_rows()).
FEW_CASES = 1000
# The columns the list shows: nothing else is fetched, so no encrypted field is read or decrypted.
LIST_COLUMNS = (
    "public_id",
    "registration_number",
    "restricted",
    "status",
    "risk",
    "opened_at",
    "kecamatan__name",
    "case_manager__full_name",
    "case_manager__email",
)


def case_list_rows(cases: QuerySet[Case], *, few: bool = False) -> QuerySet[Case]:
    """The list's rows: the columns it shows and each case's number of overdue tasks, overdue work first
    (Yuli's journey), then the newest.

    Every case is one row: the scope and the filters are EXISTS subqueries, and the overdue count is a
    correlated COUNT on the partial index of open tasks, so nothing is joined, grouped or made DISTINCT.
    Sorting needs the count of every matching case; for many cases (few=False) the COUNT runs only for the
    cases in the (hashed, small) set of cases with late tasks, and the others cost one hash probe instead of
    one index probe each. For a handful of cases, building that set would cost more than it saves."""
    late = CaseTask.objects.filter(done_at__isnull=True, due_at__lt=timezone.now()).order_by()
    overdue = Subquery(
        late.filter(case=OuterRef("pk")).annotate(n=Func("pk", function="COUNT")).values("n"),
        output_field=IntegerField(),
    )
    if not few:
        overdue = models.Case(
            models.When(Q(pk__in=late.values("case_id")), then=overdue), default=Value(0), output_field=IntegerField()
        )
    return cases.only(*LIST_COLUMNS).annotate(overdue_tasks=overdue).order_by("-overdue_tasks", "-opened_at")


class CaseListPaginator(Paginator):
    """Pages the scoped, filtered cases. The count is COUNT(*) over those cases alone (nothing annotated);
    the page's rows come from case_list_rows(), in the shape that suits the number of cases counted."""

    @cached_property
    def count(self) -> int:
        return self.object_list.count()

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = case_list_rows(self.object_list, few=self.count <= FEW_CASES)
        return self._get_page(rows[bottom : bottom + self.per_page], number, self)


def case_list_page(cases: QuerySet[Case], number) -> Page:
    """One page of the case list (25 cases) from the scoped, filtered cases; `number` as the user sent it."""
    return CaseListPaginator(cases, CASES_PER_PAGE).get_page(number)


def case_get(*, actor, public_id: UUID, opening: bool = True) -> Case:
    """The case if the actor may see it; 404 for missing and forbidden alike.

    Opening the file is audited. Actions posted from the page pass opening=False: they are audited as what
    they did, and counting them as openings would flood "who has opened this file"."""
    case = get_object_or_404(case_list(actor=actor).select_related("opened_by", "kelurahan"), public_id=public_id)
    case_policy.mark_in_scope(actor, case)
    if opening:
        audit_record(actor=actor, action=AuditAction.RECORD_VIEWED, obj=case)
    return case


def case_version(case: Case) -> int:
    """The version stored now: services called one after another on the same case (an import adds its victims
    then its perpetrators) pass it as the optimistic-lock token a form would have carried."""
    return Case.objects.values_list("version", flat=True).get(pk=case.pk)


def case_exists_for_break_glass(*, actor, public_id: UUID) -> Case:
    """A restricted case a supervisor may open with break-the-glass; 404 for anyone else."""
    case = Case.objects.filter(public_id=public_id).first()
    if case is None or not case_policy.can(actor, "break_glass", case):
        raise Http404
    return case


def my_tasks(*, actor) -> list[CaseTask]:
    """The actor's open tasks across the cases they may open, overdue first, then by deadline; snoozed tasks
    last (the page shows them apart). Task titles, deadlines and registration numbers only: no child data."""
    tasks = (
        CaseTask.objects.filter(assignee=actor, done_at__isnull=True, case__in=case_policy.visible_to(actor))
        .exclude(case__status=CaseStatus.CLOSED)
        .select_related("case")
        .only(*TASK_COLUMNS)
        .order_by("due_at")
    )
    now = timezone.now()
    return sorted(tasks, key=lambda task: (task.snoozed, task.due_at >= now, task.due_at))


TASK_COLUMNS = (
    "public_id",
    "rule",
    "title",
    "due_at",
    "done_at",
    "snoozed_until",
    "snooze_reason",
    "assignee_id",
    "case__public_id",
    "case__registration_number",
    "case__status",
)


@dataclass
class Workload:
    worker: object
    open_cases: list = field(default_factory=list)
    overdue_tasks: int = 0
    waiting_approvals: int = 0


def team_workload(*, actor, workers) -> list[Workload]:
    """Per worker of the office: their open cases (registration number, status, version for reassigning), their
    overdue tasks and the approvals they wait for; a last row, worker None, for open cases nobody manages.
    Only cases the supervisor may open are counted; three queries whatever the size of the team."""
    visible = case_policy.visible_to(actor).filter(status__in=OPEN_STATUSES)
    rows = {worker.pk: Workload(worker) for worker in workers}
    unassigned = Workload(None)
    cases = visible.select_related("case_manager").only(
        "public_id",
        "registration_number",
        "status",
        "version",
        "opened_at",
        "case_manager",
        "case_manager__full_name",
        "case_manager__email",
    )
    for case in cases.order_by("opened_at"):
        if case.case_manager_id is None:
            unassigned.open_cases.append(case)
        else:
            # A manager who left the office (deactivated) still shows, with the cases to hand over.
            rows.setdefault(case.case_manager_id, Workload(case.case_manager)).open_cases.append(case)
    late = (
        CaseTask.objects.filter(done_at__isnull=True, due_at__lt=timezone.now(), case__in=visible)
        .values("assignee_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in late:
        if row["assignee_id"] in rows:
            rows[row["assignee_id"]].overdue_tasks = row["n"]
    waiting = (
        CaseApproval.objects.filter(decision=ApprovalDecision.PENDING, case__in=visible)
        .values("requested_by_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in waiting:
        if row["requested_by_id"] in rows:
            rows[row["requested_by_id"]].waiting_approvals = row["n"]
    return [*rows.values(), unassigned]


def case_timeline(case: Case, actor=None) -> list[AuditEvent]:
    """The case's history, oldest first. Break-the-glass and restriction events carry `.reason`, read from the
    encrypted row they point to (the audit trail keeps no free text)."""
    events = list(
        AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.public_id), action__in=TIMELINE_ACTIONS)
        .select_related("actor")
        .order_by("seq")
    )
    return _with_reasons(case, events, actor)


def case_openings(case: Case, limit: int = 50, actor=None) -> list[AuditEvent]:
    """Who has opened this file, newest first; emergency openings carry their reason."""
    return _with_reasons(case, list(openings_of(case)[:limit]), actor)


# Break-glass rows written before the audit row named its grant are matched by who and when (the grant and its
# audit row are written in the same transaction, a moment apart).
GRANT_MATCH_WINDOW = dt.timedelta(seconds=5)


def _with_reasons(case: Case, events: list[AuditEvent], actor=None) -> list[AuditEvent]:
    actions = {event.action for event in events}
    grants, changes = [], {}
    if AuditAction.BREAK_THE_GLASS in actions:
        grants = list(CaseAccessGrant.objects.filter(case=case))
    if actions & {AuditAction.CASE_RESTRICTED, AuditAction.CASE_UNRESTRICTED}:
        # A restriction's reason often names the member of staff the child is related to: only those who work the
        # case, and the supervisor who wrote it, read it, also once the restriction is lifted.
        insider = actor is not None and (
            case.case_manager_id == actor.pk or CaseTeamMember.objects.filter(case=case, user=actor).exists()
        )
        changes = {
            change.pk: change.reason
            for change in CaseAccessChange.objects.filter(case=case)
            if insider or (actor is not None and change.changed_by_id == actor.pk)
        }
    for event in events:
        event.reason = ""
        if event.action == AuditAction.BREAK_THE_GLASS:
            grant = next((g for g in grants if g.pk == (event.extra or {}).get("grant")), None) or next(
                (
                    g
                    for g in grants
                    if g.user_id == event.actor_id and abs(g.granted_at - event.occurred_at) < GRANT_MATCH_WINDOW
                ),
                None,
            )
            event.reason = grant.reason if grant else ""
        elif event.action in (AuditAction.CASE_RESTRICTED, AuditAction.CASE_UNRESTRICTED):
            event.reason = changes.get((event.extra or {}).get("access_change"), "")
    return events


def tasks_overdue_count(now) -> int:
    """For /metrics: open tasks of open cases past their deadline."""
    open_tasks = CaseTask.objects.filter(done_at__isnull=True).exclude(case__status=CaseStatus.CLOSED)
    return open_tasks.filter(due_at__lt=now).count()
