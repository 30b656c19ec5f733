"""Reads of outreach operations, scoped by their policy; 404 for missing and forbidden. Opening one is audited: it
lists children found in the street, by name or initials."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from perisai.audit.choices import AuditAction
from perisai.audit.services import audit_record
from perisai.outreach.models import OutreachChild, OutreachOperation
from perisai.outreach.policies import outreach_policy


def operation_list(*, actor) -> QuerySet[OutreachOperation]:
    return outreach_policy.visible_to(actor).select_related("kecamatan").prefetch_related("agencies")


def operation_get(*, actor, public_id: UUID) -> OutreachOperation:
    operation = get_object_or_404(operation_list(actor=actor), public_id=public_id)
    audit_record(actor=actor, action=AuditAction.RECORD_VIEWED, obj=operation)
    return operation


def child_of(operation: OutreachOperation, public_id: UUID) -> OutreachChild:
    """A child of an operation the caller holds through operation_get."""
    return get_object_or_404(OutreachChild, operation=operation, public_id=public_id)
