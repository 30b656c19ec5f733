"""Reads of the audit trail."""

from __future__ import annotations

from django.db import models
from django.db.models import QuerySet

from perisai.audit.choices import AuditAction
from perisai.audit.models import AuditEvent
from perisai.audit.services import object_ref

# A partner reading a referral has read part of this child's file: it is listed with their agency.
OPENING_ACTIONS = (
    AuditAction.RECORD_VIEWED,
    AuditAction.BREAK_THE_GLASS,
    AuditAction.PRINTED,
    AuditAction.EXPORTED,
    AuditAction.REFERRAL_VIEWED,
    AuditAction.REFERRAL_DOCUMENT_VIEWED,
)


def openings_of(obj: models.Model) -> QuerySet[AuditEvent]:
    """Who has opened this file and when ("siapa saja yang membuka berkas ini"), newest first.

    The caller has already been allowed to see `obj`; this list shows staff names only, no child data.
    """
    object_type, object_id = object_ref(obj)
    return (
        AuditEvent.objects.filter(object_type=object_type, object_id=object_id, action__in=OPENING_ACTIONS)
        .select_related("actor", "agency")
        .order_by("-seq")
    )
