"""Append-only, hash-chained audit trail. Rows carry opaque ids and never personal data."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perisai.audit.choices import AuditAction, AuditOutcome


class AppendOnlyError(RuntimeError):
    pass


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """Who did what to which object, when, from where, with what outcome.

    `seq` numbers events without gaps and `hash` covers this event and the previous event's hash, so
    `manage.py audit_verify` finds any edited, removed or inserted row.
    """

    seq = models.PositiveBigIntegerField(_("nomor urut"), unique=True, editable=False)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    occurred_at = models.DateTimeField(_("waktu"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dilakukan oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("atas nama instansi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # No `choices=` on purpose: the list of actions grows with every feature, and the trail must never need a
    # schema migration (or a rewrite of its rows) for that. Labels come from AuditAction.
    action = models.CharField(_("tindakan"), max_length=40, db_index=True)
    object_type = models.CharField(_("jenis objek"), max_length=60, blank=True)
    object_id = models.CharField(_("id objek"), max_length=64, blank=True, db_index=True)
    outcome = models.CharField(_("hasil"), max_length=10, choices=AuditOutcome.choices, default=AuditOutcome.SUCCESS)
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    user_agent = models.CharField(_("peramban"), max_length=300, blank=True)
    extra = models.JSONField(_("keterangan"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("kejadian audit")
        verbose_name_plural = _("jejak audit")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "-seq"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")

    def get_action_display(self) -> str:
        return str(AuditAction(self.action).label) if self.action in AuditAction.values else self.action


class AuditChainHead(models.Model):
    """The last event's number and hash: one row, locked while an event is appended so two requests
    cannot both extend the chain from the same event. Also lets audit_verify notice a cut-off tail."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("kepala rantai audit")

    def __str__(self) -> str:
        return f"#{self.seq}"
