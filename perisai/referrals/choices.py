"""Referral statuses, the referral workflow table, what may be shared, and the partners' actions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Terkirim, menunggu jawaban")
    ACCEPTED = "accepted", _("Diterima mitra")
    DECLINED = "declined", _("Ditolak mitra")
    COMPLETED = "completed", pgettext_lazy("referral status", "Selesai")
    REVOKED = "revoked", _("Dicabut")


OPEN_REFERRAL_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED)


class Side(models.TextChoices):
    OFFICE = "office", _("Kantor")
    PARTNER = "partner", _("Instansi mitra")


# The whole referral workflow in one place (tested exhaustively: every pair of statuses x every role).
# Questions, answers and recorded actions are messages on the referral; they never change its status.
REFERRAL_TRANSITIONS: dict[tuple[str, str], str] = {
    (ReferralStatus.SENT, ReferralStatus.ACCEPTED): Side.PARTNER,
    (ReferralStatus.SENT, ReferralStatus.DECLINED): Side.PARTNER,
    (ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED): Side.PARTNER,
    # The office can take back what it shared at any time, also after a decline or a completion (UU PDP Pasal 16:
    # the purpose has ended).
    (ReferralStatus.SENT, ReferralStatus.REVOKED): Side.OFFICE,
    (ReferralStatus.ACCEPTED, ReferralStatus.REVOKED): Side.OFFICE,
    (ReferralStatus.DECLINED, ReferralStatus.REVOKED): Side.OFFICE,
    (ReferralStatus.COMPLETED, ReferralStatus.REVOKED): Side.OFFICE,
}


class Urgency(models.TextChoices):
    URGENT = "urgent", _("Mendesak")
    NORMAL = "normal", _("Biasa")


class SharedItem(models.TextChoices):
    """What a case manager may add to the minimum, one tick each (UU PDP 27/2022 Pasal 16: only what the
    purpose needs; UU SPPA Pasal 19: a child's identity is secret)."""

    FULL_NAME = "full_name", _("Nama lengkap anak")
    BIRTH_DATE = "birth_date", _("Tanggal lahir dan NIK")
    ADDRESS = "address", _("Alamat dan kelurahan tempat tinggal")
    GUARDIAN = "guardian", _("Orang tua / wali")
    CHRONOLOGY = "chronology", _("Kronologi kejadian")
    DOCUMENTS = "documents", _("Dokumen yang dipilih")


# Always shared: enough for a partner to decide whether and how to help, and nothing that names the child.
MINIMUM_ITEMS = (
    _("nomor registrasi"),
    _("inisial anak"),
    _("usia"),
    _("jenis kelamin"),
    _("kecamatan"),
    _("jenis kekerasan"),
    _("permintaan (alasan, layanan, tingkat urgensi)"),
)


class UpdateKind(models.TextChoices):
    QUESTION = "question", _("Pertanyaan dari mitra")
    ANSWER = "answer", _("Jawaban / informasi tambahan dari kantor")
    ACTION = "action", _("Tindakan yang dicatat mitra")


class ActionType(models.TextChoices):
    """What partners record (police: report and stage; Dinas Sosial: rehabilitation or shelter; health:
    examination), named so the office can count them."""

    POLICE_REPORT = "police_report", _("Laporan polisi dibuat")
    INVESTIGATION = "investigation", _("Tahap proses hukum berubah")
    VISUM = "visum", _("Visum / pemeriksaan kesehatan dilakukan")
    TREATMENT = "treatment", _("Perawatan kesehatan")
    REHABILITATION = "rehabilitation", _("Rehabilitasi sosial")
    SHELTER = "shelter", _("Ditempatkan di rumah aman / shelter")
    LEGAL_ASSISTANCE = "legal_assistance", _("Pendampingan hukum")
    OTHER = "other", _("Tindakan lain")
