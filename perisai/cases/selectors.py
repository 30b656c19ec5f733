"""Reads of cases, always scoped by the access policy; opening a case file is audited."""

from __future__ import annotations

from functools import cached_property
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db.models import Count, FilteredRelation, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from perisai.audit.choices import AuditAction
from perisai.audit.models import AuditEvent
from perisai.audit.services import audit_record
from perisai.cases.models import Case
from perisai.cases.policies import case_policy

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
    AuditAction.ATTACHMENT_STORED,
    AuditAction.PRINTED,
)


def case_list(*, actor, mine_only: bool = False) -> QuerySet[Case]:
    cases = case_policy.visible_to(actor).select_related("case_manager", "kecamatan")
    return cases.filter(case_manager=actor) if mine_only else cases


CASES_PER_PAGE = 25


class _CountMatchingPaginator(Paginator):
    """Counts the matching cases themselves, not the page's rows: COUNT(*) over the filtered cases instead of
    COUNT(*) over a subquery that groups every matching case with its late tasks."""

    def __init__(self, rows: QuerySet[Case], per_page: int, *, matching: QuerySet[Case]):
        super().__init__(rows, per_page)
        self.matching = matching

    @cached_property
    def count(self) -> int:
        return self.matching.count()


def case_list_rows(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The list's rows: each case with its number of overdue tasks, overdue work first (Yuli's journey), then
    the newest.

    Late tasks are counted through one LEFT JOIN that carries the condition in its ON clause (FilteredRelation),
    where the partial index on open tasks serves it. The scope and the filters are EXISTS subqueries, so every
    case is one row and no DISTINCT is needed. The list shows neither the chronology nor the consent note:
    they are neither fetched nor decrypted."""
    late = Q(tasks__done_at__isnull=True, tasks__due_at__lt=timezone.now())
    return (
        cases.defer("chronology", "lawful_basis_note")
        .alias(late_tasks=FilteredRelation("tasks", condition=late))
        .annotate(overdue_tasks=Count("late_tasks"))
        .order_by("-overdue_tasks", "-opened_at")
    )


def case_list_page(cases: QuerySet[Case], number) -> Page:
    """One page of the case list (25 cases) from the scoped, filtered cases; `number` as the user sent it."""
    paginator = _CountMatchingPaginator(case_list_rows(cases), CASES_PER_PAGE, matching=cases)
    return paginator.get_page(number)


def case_get(*, actor, public_id: UUID, opening: bool = True) -> Case:
    """The case if the actor may see it; 404 for missing and forbidden alike.

    Opening the file is audited. Actions posted from the page pass opening=False: they are audited as what
    they did, and counting them as openings would flood "who has opened this file"."""
    case = get_object_or_404(case_list(actor=actor), public_id=public_id)
    if opening:
        audit_record(actor=actor, action=AuditAction.RECORD_VIEWED, obj=case)
    return case


def case_exists_for_break_glass(*, actor, public_id: UUID) -> Case:
    """A restricted case a supervisor may open with break-the-glass; 404 for anyone else."""
    case = Case.objects.filter(public_id=public_id).first()
    if case is None or not case_policy.can(actor, "break_glass", case):
        from django.http import Http404

        raise Http404
    return case


def case_timeline(case: Case) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.public_id), action__in=TIMELINE_ACTIONS)
        .select_related("actor")
        .order_by("seq")
    )
