"""Reads of cases, always scoped by the access policy; opening a case file is audited."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

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
