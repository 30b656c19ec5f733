"""Registers the office keeps as a data controller: subjects' requests and personal-data breaches."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perisai.core.fields import BlindIndexField, EncryptedCharField, EncryptedTextField
from perisai.privacy.choices import (
    RESPONSE_WINDOW,
    BreachStatus,
    RequesterRelation,
    SubjectRequestKind,
    SubjectRequestStatus,
)


class SubjectRequest(models.Model):
    """A request by a data subject (often a parent for a child) to see, correct, erase or restrict data."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("jenis permintaan"), max_length=20, choices=SubjectRequestKind.choices)
    received_at = models.DateTimeField(_("diterima"), default=timezone.now)
    due_at = models.DateTimeField(_("batas waktu"), editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=SubjectRequestStatus.choices, default=SubjectRequestStatus.RECEIVED
    )
    requester_name = EncryptedCharField(_("nama pemohon"), max_length=150)
    requester_contact = EncryptedCharField(_("kontak pemohon"), max_length=150, blank=True)
    requester_relation = models.CharField(
        _("hubungan pemohon dengan subjek"), max_length=20, choices=RequesterRelation.choices
    )
    subject_name = EncryptedCharField(_("nama subjek data"), max_length=150)
    subject_name_index = BlindIndexField(source="subject_name", purpose="privacy.subject_name")
    subject_nik = EncryptedCharField(_("NIK subjek data"), max_length=16, blank=True)
    subject_nik_index = BlindIndexField(source="subject_nik", purpose="privacy.subject_nik", normalizer="digits")
    subject_address = EncryptedTextField(_("alamat subjek data"), blank=True)
    details = EncryptedTextField(_("isi permintaan"))
    outcome = EncryptedTextField(_("hasil / alasan"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("dicatat oleh")
    )
    closed_at = models.DateTimeField(_("diselesaikan"), null=True, blank=True)

    class Meta:
        verbose_name = _("permintaan subjek data")
        verbose_name_plural = _("permintaan subjek data")
        ordering = ["due_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.received_at:%d-%m-%Y})"

    def save(self, *args, **kwargs):
        self.due_at = self.received_at + RESPONSE_WINDOW
        super().save(*args, **kwargs)

    @property
    def is_overdue(self) -> bool:
        return self.closed_at is None and timezone.now() > self.due_at


class Breach(models.Model):
    """A failure to protect personal data, and the notification the law requires (UU PDP Pasal 46)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    discovered_at = models.DateTimeField(_("diketahui pada"), default=timezone.now)
    notify_by = models.DateTimeField(_("batas pemberitahuan"), editable=False)
    status = models.CharField(_("status"), max_length=20, choices=BreachStatus.choices, default=BreachStatus.OPEN)
    summary = models.CharField(
        _("ringkasan"), max_length=200, help_text=_("Tanpa nama atau identitas anak, misalnya: laptop petugas hilang.")
    )
    description = EncryptedTextField(_("kronologi: kapan dan bagaimana data terungkap"))
    data_affected = EncryptedTextField(_("data pribadi yang terungkap"))
    subjects_affected = models.PositiveIntegerField(_("perkiraan jumlah subjek data terdampak"), default=0)
    measures = EncryptedTextField(_("upaya penanganan dan pemulihan"), blank=True)
    authority_notified_at = models.DateTimeField(_("lembaga PDP diberi tahu"), null=True, blank=True)
    subjects_notified_at = models.DateTimeField(_("subjek data diberi tahu"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("dicatat oleh")
    )

    class Meta:
        verbose_name = _("insiden kebocoran data")
        verbose_name_plural = _("insiden kebocoran data")
        ordering = ["-discovered_at"]

    def __str__(self) -> str:
        return self.summary

    def save(self, *args, **kwargs):
        self.notify_by = self.discovered_at + RESPONSE_WINDOW
        super().save(*args, **kwargs)

    @property
    def is_overdue(self) -> bool:
        return self.status == BreachStatus.OPEN and timezone.now() > self.notify_by
