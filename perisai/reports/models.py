"""Reports of violence against a child, from the public form or recorded by staff, and the conversation
with the reporter. Identifying text is encrypted; the reporter is anonymous unless they choose otherwise."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perisai.core.fields import BlindIndexField, EncryptedCharField, EncryptedTextField
from perisai.core.models import RemembersLoadedValues
from perisai.core.simfoni import PerpetratorRelationship, PlaceOfOccurrence, Sex, ViolenceType
from perisai.reports.choices import (
    Channel,
    Harm,
    IncidentPeriod,
    MessageSender,
    ReporterRelation,
    ReportStatus,
    Undelivered,
)


class Report(RemembersLoadedValues):
    remembered_fields = ("case_id",)  # announced as moved (reports.events)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tracking_code = models.CharField(_("kode laporan"), max_length=16, unique=True, editable=False)
    pin_hash = models.CharField(max_length=200, blank=True, editable=False)
    # Keyed hash of the token the form carried: a second tap, a retry after a lost connection or the back
    # button sends it again and finds this report instead of making a second one.
    submission_key = models.CharField(max_length=64, unique=True, editable=False)
    # Keyed hash of what was typed (and the device): "Back" then "Kirim" again on the receipt sends the same
    # answers with a fresh token; within a short window that finds this report instead of making another.
    content_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    channel = models.CharField(_("saluran"), max_length=20, choices=Channel.choices, default=Channel.WEB)
    source_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("instansi pengirim"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    received_at = models.DateTimeField(_("diterima"), default=timezone.now, db_index=True)
    # An old report typed in later (paper registers, last year's spreadsheet): received_at is when the office
    # really received it, the deadlines that ran out before it was typed in are not "late", and its case counts
    # in the period it was received (SIMFONI-PPA's tanggal pelaporan). When Perisai stored it is in the audit trail.
    entered_after_fact = models.BooleanField(_("dicatat belakangan"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.NEW)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("kasus"), on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )
    closing_reason = EncryptedTextField(_("alasan penutupan"), blank=True)
    # When the reporter's steps were reached (reports.progress): an officer took it up (reviewed, or triage decided
    # at once), a partner works on its case (cleared when none does any more), handling finished (cleared when its
    # case reopens). Written only by report_transition, beside the status.
    handled_at = models.DateTimeField(_("mulai ditangani"), null=True, blank=True)
    referred_at = models.DateTimeField(_("dirujuk ke mitra"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    # Two reports about the same child or event: this one is handled with `merged_into` and leaves the inbox;
    # triage of that report decides for both (reports.services.report_transition).
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("digabung ke laporan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
    )
    urgent = models.BooleanField(_("anak dalam bahaya sekarang"), default=False)
    # Told by WhatsApp or SMS, the reporter said a child is in danger now and then stopped answering: the office got
    # what was said so far rather than nothing (channels.services.conversations_forward_urgent).
    unfinished = models.BooleanField(_("pelapor berhenti sebelum selesai"), default=False)
    first_contact_due_at = models.DateTimeField(_("batas kontak pertama"))
    verification_due_at = models.DateTimeField(_("batas verifikasi"))
    first_contact_at = models.DateTimeField(_("kontak pertama"), null=True, blank=True)
    first_contact_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    first_contact_note = EncryptedTextField(_("catatan kontak pertama"), blank=True)

    # What happened
    harms = models.JSONField(_("yang terjadi"), default=list, blank=True)
    violence_types = models.JSONField(_("jenis kekerasan (SIMFONI)"), default=list, blank=True)
    narrative = EncryptedTextField(_("cerita pelapor"), blank=True)
    kecamatan = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kecamatan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kelurahan = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kelurahan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    location_detail = EncryptedTextField(_("alamat atau patokan"), blank=True)
    place = models.CharField(_("tempat kejadian"), max_length=30, choices=PlaceOfOccurrence.choices, blank=True)
    incident_date = models.DateField(_("tanggal kejadian"), null=True, blank=True)
    incident_period = models.CharField(_("kapan"), max_length=20, choices=IncidentPeriod.choices, blank=True)

    # The child (all optional)
    child_name = EncryptedCharField(_("nama atau inisial anak"), max_length=150, blank=True)
    child_name_index = BlindIndexField(source="child_name", purpose="reports.child_name")
    child_age = models.PositiveSmallIntegerField(_("perkiraan usia anak"), null=True, blank=True)
    child_sex = models.CharField(_("jenis kelamin anak"), max_length=1, choices=Sex.choices, blank=True)
    child_school = EncryptedCharField(_("sekolah anak"), max_length=200, blank=True)

    # The suspected perpetrator, if known
    perpetrator_description = EncryptedTextField(_("ciri atau identitas terduga pelaku"), blank=True)
    perpetrator_relationship = models.CharField(
        _("hubungan terduga pelaku dengan anak"), max_length=20, choices=PerpetratorRelationship.choices, blank=True
    )

    # The reporter: anonymous unless they choose otherwise
    reporter_anonymous = models.BooleanField(_("pelapor anonim"), default=True)
    reporter_name = EncryptedCharField(_("nama pelapor"), max_length=150, blank=True)
    reporter_phone = EncryptedCharField(_("telepon / WhatsApp pelapor"), max_length=20, blank=True)
    reporter_phone_index = BlindIndexField(
        source="reporter_phone", purpose="reports.reporter_phone", normalizer="digits"
    )
    reporter_email = EncryptedCharField(_("e-mail pelapor"), max_length=254, blank=True)
    reporter_relation = models.CharField(
        _("hubungan pelapor dengan anak"), max_length=20, choices=ReporterRelation.choices, blank=True
    )
    contact_preference = EncryptedTextField(_("cara dan waktu boleh dihubungi"), blank=True)

    # Abuse resistance: kept, but flagged for a person to look at first
    needs_review = models.BooleanField(_("perlu ditinjau (cek anti-bot gagal)"), default=False)
    review_reasons = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        ordering = ["-urgent", "received_at"]
        indexes = [models.Index(fields=["status", "-urgent", "received_at"], name="reports_inbox_idx")]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def harm_labels(self) -> list[str]:
        return [str(Harm(code).label) for code in self.harms if code in Harm.values]

    # For lists: get_FOO_display() rebuilds a dict of all the field's choices on each call, translating every label
    # to hash it (20 translations a row in the inbox, a tenth of the page's work); these translate one.
    @property
    def channel_label(self) -> str:
        return Channel(self.channel).label if self.channel in Channel else self.channel

    @property
    def status_label(self) -> str:
        return ReportStatus(self.status).label if self.status in ReportStatus else self.status

    @property
    def violence_labels(self) -> list[str]:
        return [str(ViolenceType(code).label) for code in self.violence_types if code in ViolenceType]

    @property
    def first_contact_overdue(self) -> bool:
        if self.entered_after_fact:
            return False
        return self.first_contact_at is None and timezone.now() > self.first_contact_due_at


class ReportMessage(models.Model):
    """The two-way conversation between the reporter (through code + PIN) and the office."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=10, choices=MessageSender.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    body = EncryptedTextField(_("pesan"))
    sent_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set by perisai.channels when a staff message could not be delivered by WhatsApp or SMS: staff must know the
    # reporter has not seen it on their phone.
    undelivered = models.CharField(_("tidak sampai"), max_length=10, choices=Undelivered.choices, blank=True)

    class Meta:
        verbose_name = _("pesan laporan")
        verbose_name_plural = _("pesan laporan")
        ordering = ["sent_at"]

    def __str__(self) -> str:
        return f"{self.get_sender_display()} {self.sent_at:%d-%m-%Y %H:%M}"
