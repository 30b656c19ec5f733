"""Writes to the data-protection registers."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from perisai.audit.choices import AuditAction
from perisai.audit.services import audit_record
from perisai.privacy.choices import CLOSED_REQUEST_STATUSES, BreachStatus
from perisai.privacy.models import Breach, SubjectRequest
from perisai.privacy.policies import breach_policy, subject_request_policy


class InvalidTransition(Exception):
    pass


@transaction.atomic
def subject_request_create(*, actor, **fields) -> SubjectRequest:
    if not subject_request_policy.can(actor, "create"):
        raise Http404
    request = SubjectRequest(recorded_by=actor, **fields)
    request.full_clean(exclude=["due_at"])
    request.save()
    audit_record(actor=actor, action=AuditAction.SUBJECT_REQUEST, obj=request, extra={"kind": request.kind})
    return request


@transaction.atomic
def subject_request_transition(*, actor, request: SubjectRequest, to: str, outcome: str = "") -> SubjectRequest:
    """Move a request on; closing it (completed or refused) needs the outcome or reason written down."""
    request = SubjectRequest.objects.select_for_update().get(pk=request.pk)
    if not subject_request_policy.can(actor, "view", request):
        raise Http404
    if not subject_request_policy.can(actor, f"to:{to}", request):
        raise InvalidTransition(request.status, to)
    if to in CLOSED_REQUEST_STATUSES:
        if not outcome.strip():
            raise ValueError("outcome required")
        request.closed_at = timezone.now()
    if outcome.strip():
        request.outcome = outcome.strip()
    previous, request.status = request.status, to
    request.save()
    action = AuditAction.SUBJECT_REQUEST_CLOSED if to in CLOSED_REQUEST_STATUSES else AuditAction.SUBJECT_REQUEST
    audit_record(actor=actor, action=action, obj=request, extra={"from": previous, "to": to})
    return request


@transaction.atomic
def breach_create(*, actor, **fields) -> Breach:
    if not breach_policy.can(actor, "create"):
        raise Http404
    breach = Breach(recorded_by=actor, **fields)
    breach.full_clean(exclude=["notify_by"])
    breach.save()
    audit_record(actor=actor, action=AuditAction.BREACH_RECORDED, obj=breach)
    return breach


@transaction.atomic
def breach_record_notification(
    *, actor, breach: Breach, authority_at: dt.datetime | None, subjects_at: dt.datetime | None, measures: str = ""
) -> Breach:
    """Record when the authority and the people affected were told (Pasal 46(1)); both are needed."""
    breach = Breach.objects.select_for_update().get(pk=breach.pk)
    if not breach_policy.can(actor, "notify", breach):
        raise Http404
    breach.authority_notified_at = authority_at or breach.authority_notified_at
    breach.subjects_notified_at = subjects_at or breach.subjects_notified_at
    if measures.strip():
        breach.measures = measures.strip()
    if breach.authority_notified_at and breach.subjects_notified_at:
        breach.status = BreachStatus.NOTIFIED
    breach.save()
    audit_record(
        actor=actor,
        action=AuditAction.BREACH_NOTIFIED,
        obj=breach,
        extra={"authority": bool(breach.authority_notified_at), "subjects": bool(breach.subjects_notified_at)},
    )
    return breach
