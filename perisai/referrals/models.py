"""Referrals to partner agencies and the messages on them."""

from __future__ import annotations

import json
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perisai.cases.choices import LawfulBasis
from perisai.cases.models import LegalStageOption
from perisai.core.fields import EncryptedCharField, EncryptedTextField
from perisai.core.models import RemembersLoadedValues
from perisai.core.simfoni import ServiceType
from perisai.referrals.choices import ActionType, ReferralStatus, Side, UpdateKind, Urgency


class Referral(RemembersLoadedValues):
    """A request to one partner agency to help with a case (or one child in it).

    The partner reads only `snapshot`: the items ticked when it was sent, frozen then. Nothing is read from the
    live case on the partner's side, so an item that was not ticked cannot reach them by any page."""

    remembered_fields = ("case_id",)  # announced as moved (referrals.events)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    batch = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)  # sent together to several agencies
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="referrals")
    victim = models.ForeignKey(
        "cases.Victim", verbose_name=_("anak"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("instansi mitra"), on_delete=models.PROTECT, related_name="referrals"
    )
    status = models.CharField(_("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    urgency = models.CharField(_("tingkat urgensi"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    service_type = models.CharField(_("layanan yang diminta"), max_length=30, choices=ServiceType.choices)
    reason = EncryptedTextField(_("alasan rujukan"))
    due_at = models.DateTimeField(_("batas jawaban"))
    shared_items = models.JSONField(_("data tambahan yang dibagikan"), default=list)
    snapshot = EncryptedTextField(editable=False)  # JSON of exactly what the partner may read
    victim_ids = models.JSONField(default=list, editable=False)  # the children referred, as of sending
    sharing_basis = models.CharField(_("dasar berbagi data"), max_length=20, choices=LawfulBasis.choices, blank=True)
    sharing_basis_note = EncryptedTextField(_("keterangan persetujuan"), blank=True)
    override_reason = EncryptedTextField(_("alasan supervisor mengirim tanpa dasar"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("dikirim"), default=timezone.now)
    responded_at = models.DateTimeField(_("dijawab"), null=True, blank=True)
    decline_reason = EncryptedTextField(_("alasan menolak"), blank=True)
    completed_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    outcome = EncryptedTextField(_("hasil"), blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoke_reason = EncryptedTextField(_("alasan pencabutan"), blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("rujukan")
        verbose_name_plural = _("rujukan")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["agency", "status", "due_at"], name="referrals_agency_status_idx"),
            # The dashboard counts these live, as they turn late with the clock (index-only scans, a million
            # victims' referrals are not read): the unanswered per case, the open per agency.
            models.Index(
                fields=["case", "status", "due_at"],
                condition=models.Q(responded_at__isnull=True),
                name="referrals_unanswered_idx",
            ),
            models.Index(
                fields=["agency", "status", "due_at"],
                condition=models.Q(status__in=["sent", "accepted"]),
                name="referrals_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"rujukan {str(self.public_id)[:8]}"

    @property
    def shared(self) -> dict:
        return json.loads(self.snapshot or "{}")

    @property
    def overdue(self) -> bool:
        return self.status == ReferralStatus.SENT and timezone.now() > self.due_at

    @property
    def answered_in_time(self) -> bool | None:
        if self.responded_at is None:
            return None
        return self.responded_at <= self.due_at


class ReferralUpdate(models.Model):
    """One message on a referral: a partner's question or recorded action, or the office's answer or update."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=10, choices=UpdateKind.choices)
    side = models.CharField(max_length=10, choices=Side.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = EncryptedTextField(_("pesan"), blank=True)
    action_type = models.CharField(_("tindakan"), max_length=20, choices=ActionType.choices, blank=True)
    # The police's own reference, not the child's identity.
    police_report_number = EncryptedCharField(_("nomor laporan polisi"), max_length=80, blank=True)
    legal_stage = models.CharField(_("tahap proses hukum"), max_length=30, blank=True)  # a LegalStageOption code
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def legal_stage_label(self) -> str:
        return LegalStageOption.objects.label_for(self.legal_stage)
