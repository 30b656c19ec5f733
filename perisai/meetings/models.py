"""Cross-sector coordination meetings and their action items. Cases appear by registration number only."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perisai.core.fields import EncryptedTextField


class Meeting(models.Model):
    """A cross-sector coordination meeting. Cases appear by registration number only."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    held_on = models.DateField(_("tanggal rapat"))
    title = models.CharField(_("judul"), max_length=200)
    agencies = models.ManyToManyField("accounts.Agency", verbose_name=_("instansi yang hadir"), related_name="+")
    cases = models.ManyToManyField("cases.Case", verbose_name=_("kasus yang dibahas"), blank=True, related_name="+")
    notes = EncryptedTextField(_("notulen"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "referrals_meeting"  # the table of before the split into apps
        verbose_name = _("rapat koordinasi")
        verbose_name_plural = _("rapat koordinasi")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.title


class MeetingActionItem(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="action_items"
    )
    description = models.CharField(
        _("tindak lanjut"), max_length=300, help_text=_("Sebut kasus dengan nomor registrasi saja, bukan nama anak.")
    )
    due_on = models.DateField(_("batas waktu"))
    done_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    done_note = models.CharField(_("keterangan"), max_length=300, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        db_table = "referrals_meetingactionitem"  # the table of before the split into apps
        ordering = ["done_at", "due_on"]

    def __str__(self) -> str:
        return self.description

    @property
    def overdue(self) -> bool:
        return self.done_at is None and timezone.localdate() > self.due_on
