"""PATBM groups (community-based child protection, one or more per kelurahan), their members, the reports they
bring to the office, and prevention activities (sosialisasi, penyuluhan) by the office and its partners."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perisai.core.fields import EncryptedCharField
from perisai.prevention.choices import Audience, MemberRole, Topic


class PatbmGroup(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("nama kelompok"), max_length=150)
    kelurahan = models.ForeignKey(
        "regions.Region", verbose_name=_("kelurahan"), on_delete=models.PROTECT, related_name="+"
    )
    formed_on = models.DateField(_("tanggal dibentuk"), null=True, blank=True)
    decree = models.CharField(_("nomor SK pembentukan"), max_length=100, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kelurahan__name", "name"]
        verbose_name = _("kelompok PATBM")
        verbose_name_plural = _("kelompok PATBM")

    def __str__(self) -> str:
        return self.name


class PatbmMember(models.Model):
    """A volunteer. Name and phone are personal data (UU PDP 27/2022): stored encrypted, shown to office staff
    only. Members whose work with the group ended are kept, inactive, so the group's history stays readable."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(PatbmGroup, on_delete=models.CASCADE, related_name="members")
    name = EncryptedCharField(_("nama"), max_length=150)
    phone = EncryptedCharField(_("nomor telepon / WhatsApp"), max_length=30, blank=True)
    role = models.CharField(_("peran"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-is_active", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} ({self.public_id})"  # never the name: this string reaches logs


class PatbmReport(models.Model):
    """A report a PATBM group brought to the office (channel "PATBM"). The report itself is the reports app's;
    this row only says which group brought it, so the group's page and the dashboard can count them."""

    group = models.ForeignKey(PatbmGroup, on_delete=models.PROTECT, related_name="reports")
    report = models.OneToOneField("reports.Report", on_delete=models.CASCADE, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.group} – {self.report_id}"


class PreventionActivity(models.Model):
    """One sosialisasi, penyuluhan or campaign event. No child is named here: only counts and places."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    held_on = models.DateField(_("tanggal kegiatan"))
    place = models.CharField(_("tempat"), max_length=200, help_text=_("Misalnya: SDN Cibeber 1, aula kelurahan."))
    kelurahan = models.ForeignKey(
        "regions.Region", verbose_name=_("kelurahan"), on_delete=models.PROTECT, related_name="+"
    )
    audience = models.CharField(_("sasaran"), max_length=20, choices=Audience.choices)
    topic = models.CharField(_("topik"), max_length=20, choices=Topic.choices)
    title = models.CharField(_("judul kegiatan"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(_("jumlah peserta"))
    organiser = models.ForeignKey(
        "accounts.Agency", verbose_name=_("penyelenggara"), on_delete=models.PROTECT, related_name="+"
    )
    agencies = models.ManyToManyField(
        "accounts.Agency", verbose_name=_("instansi lain yang terlibat"), related_name="+", blank=True
    )
    patbm_group = models.ForeignKey(
        PatbmGroup,
        verbose_name=_("kelompok PATBM yang terlibat"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    materials = models.TextField(_("materi yang dipakai"), blank=True)
    # The form's one-time token: the same form sent twice (a double tap on a slow connection) is one activity, not
    # two that would double the kelurahan's count on the dashboard's map.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-created_at"]
        indexes = [models.Index(fields=["held_on"], name="prevention_activity_held_idx")]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.get_topic_display()}"
