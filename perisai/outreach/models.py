"""Joint outreach operations (Satpol PP, Dinas Sosial, the office) and the children found in them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perisai.core.fields import EncryptedCharField, EncryptedTextField
from perisai.core.simfoni import Sex
from perisai.outreach.choices import ChildSituation


class OutreachOperation(models.Model):
    """A joint operation (Satpol PP, Dinas Sosial, the office) that finds children working or begging."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    held_on = models.DateField(_("tanggal operasi"))
    kecamatan = models.ForeignKey(
        "regions.Region", verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="+"
    )
    location = models.CharField(_("lokasi"), max_length=200, help_text=_("Misalnya: simpang lampu merah, pasar."))
    agencies = models.ManyToManyField("accounts.Agency", verbose_name=_("instansi yang ikut"), related_name="+")
    team = models.CharField(_("tim"), max_length=300, blank=True, help_text=_("Nama atau jumlah petugas."))
    notes = EncryptedTextField(_("catatan"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "referrals_outreachoperation"  # the table of before the split into apps
        verbose_name = _("operasi penjangkauan")
        verbose_name_plural = _("operasi penjangkauan")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.held_on:%d-%m-%Y} {self.location}"


class OutreachChild(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    operation = models.ForeignKey(OutreachOperation, on_delete=models.CASCADE, related_name="children")
    name = EncryptedCharField(_("nama atau inisial"), max_length=150, blank=True)
    estimated_age = models.PositiveSmallIntegerField(_("perkiraan usia"), null=True, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    situation = models.CharField(_("keadaan anak"), max_length=20, choices=ChildSituation.choices)
    note = EncryptedTextField(_("catatan"), blank=True)
    report = models.OneToOneField(
        "reports.Report", on_delete=models.SET_NULL, null=True, blank=True, related_name="outreach_child"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "referrals_outreachchild"  # the table of before the split into apps
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"anak {str(self.public_id)[:8]}"
