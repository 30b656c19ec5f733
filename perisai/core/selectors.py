"""Reads shared by every app: attachments, through their owner's access policy."""

from __future__ import annotations

from uuid import UUID

from django.db import models
from django.db.models import QuerySet
from django.http import Http404

from perisai.audit.choices import AuditAction
from perisai.audit.services import audit_record
from perisai.core import attachment_owners
from perisai.core.models import Attachment


def attachments_of(owner: models.Model) -> QuerySet[Attachment]:
    """The owner's attachments. The caller already holds `owner` through its own scoped selector."""
    owner_type, owner_id = attachment_owners.owner_ref(owner)
    return Attachment.objects.filter(owner_type=owner_type, owner_id=owner_id)


def attachment_get(*, actor, public_id: UUID) -> Attachment:
    """The attachment if the actor may see its owner; 404 for missing and forbidden alike. Audited."""
    attachment = Attachment.objects.filter(public_id=public_id).first()
    if attachment is None:
        raise Http404
    policy = attachment_owners.policy_for(attachment.owner_type)
    if policy is None or not policy.visible_to(actor).filter(public_id=attachment.owner_id).exists():
        raise Http404
    audit_record(actor=actor, action=AuditAction.ATTACHMENT_VIEWED, obj=attachment)
    return attachment


def attachment_get_for_owner(*, actor, owner: models.Model, public_id: UUID) -> Attachment:
    """An attachment of `owner`, which the caller already holds through a scoped selector. Audited."""
    owner_type, owner_id = attachment_owners.owner_ref(owner)
    attachment = Attachment.objects.filter(public_id=public_id, owner_type=owner_type, owner_id=owner_id).first()
    if attachment is None:
        raise Http404
    audit_record(actor=actor, action=AuditAction.ATTACHMENT_VIEWED, obj=attachment)
    return attachment
