"""Reads of the data-protection registers, always scoped by the access policy."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from perisai.audit.choices import AuditAction
from perisai.audit.services import audit_record
from perisai.privacy.models import Breach, SubjectRequest
from perisai.privacy.policies import breach_policy, subject_request_policy


def subject_request_list(*, actor) -> QuerySet[SubjectRequest]:
    return subject_request_policy.visible_to(actor).select_related("recorded_by")


def subject_request_get(*, actor, public_id: UUID) -> SubjectRequest:
    """The request if the actor keeps the register; 404 otherwise. Opening it reveals a child: audited."""
    request = get_object_or_404(subject_request_list(actor=actor), public_id=public_id)
    audit_record(actor=actor, action=AuditAction.RECORD_VIEWED, obj=request)
    return request


def breach_list(*, actor) -> QuerySet[Breach]:
    return breach_policy.visible_to(actor).select_related("recorded_by")


def breach_get(*, actor, public_id: UUID) -> Breach:
    breach = get_object_or_404(breach_list(actor=actor), public_id=public_id)
    audit_record(actor=actor, action=AuditAction.RECORD_VIEWED, obj=breach)
    return breach
