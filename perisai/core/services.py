"""Writes shared by every app: storing attachments, the office's holidays."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import models, transaction
from django.utils import timezone

from perisai.audit.choices import AuditAction
from perisai.audit.services import audit_record
from perisai.core import attachment_owners, attachments, crypto, holidays
from perisai.core.models import Attachment, Holiday
from perisai.core.selectors import attachments_of


@transaction.atomic
def attachment_store(*, actor, owner: models.Model, uploaded_file, personal: bool = True) -> Attachment:
    """Check, clean, encrypt and store one upload for `owner`. `personal=False` only for a PDF that names and shows
    nobody (see Attachment.personal). The same file sent again is the stored one; sent again as personal, it
    becomes personal: a file only ever moves towards being deleted on time, never away from it.

    Raises AttachmentRejected with a message for the person who sent it. If an enclosing transaction
    rolls back later, the encrypted file stays behind without a row: unreadable without the keys, and
    swept by `manage.py prune_attachments`.
    """
    owner_type, owner_id = attachment_owners.owner_ref(owner)
    if attachment_owners.policy_for(owner_type) is None:
        raise ValueError(f"{owner_type} does not take attachments")
    checked = attachments.check_upload(
        uploaded_file.name, uploaded_file.size, uploaded_file.chunks(), getattr(uploaded_file, "refusal", "")
    )
    if not personal and checked.content_type != "application/pdf":
        # A photo or a recording shows or names someone however it is labelled: never kept past its retention.
        raise ValueError("only a PDF can be stored as naming and showing nobody")
    content_key = crypto.blind_index(hashlib.sha256(checked.data).hexdigest(), purpose="core.attachment")
    duplicate = Attachment.objects.filter(owner_type=owner_type, owner_id=owner_id, content_key=content_key).first()
    if duplicate is not None:
        if personal and not duplicate.personal:
            _attachment_mark_personal(actor=actor, attachment=duplicate)
        return duplicate
    storage_name = attachments.write_encrypted(checked.data)
    try:
        attachment = Attachment.objects.create(
            owner_type=owner_type,
            owner_id=owner_id,
            original_name=uploaded_file.name[:255],
            content_type=checked.content_type,
            extension=checked.extension,
            size=len(checked.data),
            storage_name=storage_name,
            metadata_removed=checked.metadata_removed,
            content_key=content_key,
            personal=personal,
            uploaded_by=actor if actor is not None and actor.is_authenticated else None,
        )
        audit_record(
            actor=actor,
            action=AuditAction.ATTACHMENT_STORED,
            obj=attachment,
            extra={
                "owner_type": owner_type,
                "owner_id": owner_id,
                "content_type": checked.content_type,
                **({} if personal else {"personal": False}),
            },
        )
    except BaseException:
        attachments.delete(storage_name)
        raise
    return attachment


@transaction.atomic
def _attachment_mark_personal(*, actor, attachment: Attachment) -> None:
    Attachment.objects.filter(pk=attachment.pk).update(personal=True)
    attachment.personal = True
    audit_record(
        actor=actor,
        action=AuditAction.ATTACHMENT_STORED,
        obj=attachment,
        extra={"owner_type": attachment.owner_type, "owner_id": attachment.owner_id, "personal": True, "again": True},
    )


@transaction.atomic
def attachments_delete(*, owner: models.Model) -> int:
    """Delete every attachment of `owner` (retention); the encrypted files go once the deletion commits, so a
    rollback never leaves a row without its file."""
    deleted = 0
    for attachment in attachments_of(owner):
        name = attachment.storage_name
        attachment.delete()
        transaction.on_commit(lambda name=name: attachments.delete(name))
        deleted += 1
    return deleted


@transaction.atomic
def attachment_remove(*, actor, attachment: Attachment) -> None:
    """Delete one attachment: one its owner's page offers to remove (a prevention activity's file uploaded by
    mistake; the caller checked the actor may change the owner), or one past its retention (actor None). The file
    goes once the deletion commits."""
    name = attachment.storage_name
    audit_record(
        actor=actor,
        action=AuditAction.ATTACHMENT_REMOVED,
        obj=attachment,
        extra={"owner_type": attachment.owner_type, "owner_id": attachment.owner_id},
    )
    attachment.delete()
    transaction.on_commit(lambda: attachments.delete(name))


def attachments_prune() -> int:
    """Remove encrypted files that no attachment row points to (left by rolled-back transactions)."""
    known = set(Attachment.objects.values_list("storage_name", flat=True))
    removed = 0
    for name in list(attachments.iter_names()):
        if name not in known:
            attachments.delete(name)
            removed += 1
    return removed


# An upload's file is written before its row commits; a file this young may belong to a request still running.
ORPHAN_GRACE = dt.timedelta(days=1)


def attachments_prune_orphans(*, now: dt.datetime | None = None) -> int:
    """Delete stored files that no attachment row names and that are older than ORPHAN_GRACE; returns how many.

    They come from uploads whose transaction rolled back (attachment_store's docstring) or from a restore of a
    database older than its files. Encrypted and unreadable without the keys, but still data about a child kept
    past its purpose (UU PDP 27/2022 art. 16: personal data is deleted once no longer needed).
    """
    now = now or timezone.now()
    named = set(Attachment.objects.values_list("storage_name", flat=True))
    removed = 0
    for storage_name in attachments.iter_names():
        if storage_name in named:
            continue
        try:
            if now - attachments.modified_at(storage_name) < ORPHAN_GRACE:
                continue
        except FileNotFoundError:
            continue  # gone meanwhile
        # Checked again just before deleting: a row committed since the listing keeps its file.
        if not Attachment.objects.filter(storage_name=storage_name).exists():
            attachments.delete(storage_name)
            removed += 1
    return removed


@transaction.atomic
def holidays_add(*, actor, days: list[tuple[dt.date, str]]) -> list[Holiday]:
    """Add the office's days off (the views check the actor's permission). A date already there keeps its row and
    takes the new name; returns the rows added or renamed."""
    changed = []
    for day, name in days:
        holiday, created = Holiday.objects.get_or_create(date=day, defaults={"name": name})
        if not created and holiday.name == name:
            continue
        if not created:
            holiday.name = name
            holiday.save(update_fields=["name"])
        audit_record(
            actor=actor,
            action=AuditAction.HOLIDAY_ADDED,
            object_type="core.holiday",
            object_id=str(day),
            extra={"renamed": not created},
        )
        changed.append(holiday)
    _holidays_changed()
    return changed


@transaction.atomic
def holiday_remove(*, actor, day: dt.date) -> bool:
    deleted, _kinds = Holiday.objects.filter(date=day).delete()
    if deleted:
        audit_record(actor=actor, action=AuditAction.HOLIDAY_REMOVED, object_type="core.holiday", object_id=str(day))
    _holidays_changed()
    return bool(deleted)


def _holidays_changed() -> None:
    # Now, and again after the commit: a read between the two (this transaction's, or another thread's of the
    # committed state) may have cached the set as it was; after a rollback the table is simply read again.
    holidays.forget()
    transaction.on_commit(holidays.forget)
