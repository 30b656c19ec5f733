"""Choices for reports: channels, statuses, and the everyday words a reporter ticks."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from perisai.core.simfoni import ViolenceType


class Channel(models.TextChoices):
    """How a report reached the office (DP3AP2KB's channels, SAPA 129's categories)."""

    WEB = "web", _("Formulir online Perisai")
    WALK_IN = "walk_in", _("Datang langsung")
    PHONE = "phone", _("Telepon")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")
    LETTER = "letter", _("Surat")
    SP4N_LAPOR = "sp4n_lapor", _("SP4N-LAPOR!")
    SAPA129 = "sapa129", _("Limpahan SAPA 129")
    MEDIA = "media", _("Pemberitaan media")
    OUTREACH = "outreach", _("Penjangkauan / operasi gabungan")
    SCHOOL = "school", _("Sekolah")
    HEALTH = "health", _("Fasilitas kesehatan")
    POLICE = "police", _("Kepolisian")
    # Brought by a community group (Perlindungan Anak Terpadu Berbasis Masyarakat); perisai.prevention records
    # which group. Staff record it from the group's page, so it is not offered in the general intake form.
    PATBM = "patbm", _("PATBM (kelompok masyarakat)")
    # Cases brought in from the office's earlier registers (perisai.imports): how they first came is not known.
    REGISTER = "register", _("Register lama (impor)")


STAFF_CHANNELS = [
    choice for choice in Channel.choices if choice[0] not in (Channel.WEB, Channel.REGISTER, Channel.PATBM)
]


class ReportStatus(models.TextChoices):
    NEW = "new", _("Baru")
    IN_REVIEW = "in_review", _("Sedang diperiksa")
    # Set by triage (case management): the report became or joined a case, or was closed.
    IN_CASE = "in_case", _("Ditangani sebagai kasus")
    REFERRED = "referred", _("Dirujuk ke mitra")
    CLOSED = "closed", _("Selesai")


# What the reporter reads at /lapor/cek/: plain words, nothing about the decision or the people.
PUBLIC_STATUS = {
    ReportStatus.NEW: _("Laporan Anda sudah diterima."),
    ReportStatus.IN_REVIEW: _("Laporan Anda sedang diperiksa oleh petugas."),
    ReportStatus.IN_CASE: _("Laporan Anda sedang ditangani."),
    ReportStatus.REFERRED: _("Laporan Anda sedang ditangani bersama instansi mitra."),
    ReportStatus.CLOSED: _("Penanganan laporan ini sudah selesai."),
}


class ProgressStep(models.TextChoices):
    """The steps a reporter sees at /lapor/cek/ (and in a WhatsApp "STATUS" reply): reports.progress."""

    # A context of their own: "Selesai" as a step is "Finished", as a status elsewhere "Closed".
    RECEIVED = "received", pgettext_lazy("reporter step", "Diterima")
    HANDLED = "handled", pgettext_lazy("reporter step", "Ditangani petugas")
    REFERRED = "referred", pgettext_lazy("reporter step", "Dirujuk ke mitra")
    FINISHED = "finished", pgettext_lazy("reporter step", "Selesai")


# The report's workflow, as the reporter sees it at /lapor/cek/. reports.services.report_transition is its only
# writer; triage (cases), the case's closing and reopening (cases) and referrals (partners at work on the case) call
# it. Each step also stamps the date the reporter reads beside it (Report.handled_at, referred_at, finished_at).
TRANSITIONS: dict[str, frozenset[str]] = {
    # An intake officer opened it or made first contact; or triage decided at once (a walk-in, an outreach child).
    ReportStatus.NEW: frozenset({ReportStatus.IN_REVIEW, ReportStatus.IN_CASE, ReportStatus.CLOSED}),
    # Triage: it became or joined a case, or it was closed (not a case, or handed over; Permen PPPA 2/2022).
    ReportStatus.IN_REVIEW: frozenset({ReportStatus.IN_CASE, ReportStatus.CLOSED}),
    # While a partner works on the case the reporter reads "handled together with a partner agency"; when every
    # referral was declined or revoked, the case is the office's alone again. Closing the case finishes it.
    ReportStatus.IN_CASE: frozenset({ReportStatus.REFERRED, ReportStatus.CLOSED}),
    ReportStatus.REFERRED: frozenset({ReportStatus.IN_CASE, ReportStatus.CLOSED}),
    # Only a report whose case was reopened goes back (report_transition refuses one closed by triage: it has no
    # case to go back to), to where it was when the case closed.
    ReportStatus.CLOSED: frozenset({ReportStatus.IN_CASE, ReportStatus.REFERRED}),
}

# Triage has not decided yet: the report is still in the inbox.
UNTRIAGED = (ReportStatus.NEW, ReportStatus.IN_REVIEW)


class IncidentPeriod(models.TextChoices):
    TODAY = "today", _("Hari ini")
    THIS_WEEK = "this_week", _("Minggu ini")
    THIS_MONTH = "this_month", _("Bulan ini")
    EARLIER = "earlier", _("Lebih lama")
    ONGOING = "ongoing", _("Masih terjadi sampai sekarang")


class ReporterRelation(models.TextChoices):
    CHILD = "child", _("Saya sendiri anak yang mengalami")
    FAMILY = "family", _("Keluarga")
    NEIGHBOUR = "neighbour", _("Tetangga")
    TEACHER = "teacher", _("Guru")
    FRIEND = "friend", _("Teman")
    WITNESS = "witness", _("Saksi")
    PATBM = "patbm", _("Aktivis PATBM")
    OTHER = "other", _("Lainnya")


class Harm(models.TextChoices):
    """Everyday words for what happened; each maps to a SIMFONI violence type (HARM_TO_VIOLENCE)."""

    HIT = "hit", _("Dipukul, ditendang, dicubit keras, atau dilukai")
    THREATENED = "threatened", _("Dibentak, diancam, dihina, atau dipermalukan terus-menerus")
    TOUCHED = "touched", _("Disentuh atau diraba di bagian pribadi")
    SEXUAL = "sexual", _("Dipaksa atau dibujuk melakukan hubungan seksual, atau dicabuli")
    SHOWN = "shown", _("Diperlihatkan atau difoto/direkam hal-hal seksual")
    WORK = "work", _("Dipaksa bekerja, mengemis, mengamen, atau berjualan")
    SOLD = "sold", _("Dijual, atau dibawa pergi untuk dipekerjakan")
    NEGLECTED = "neglected", _("Ditelantarkan: tidak diberi makan, tidak diurus, tidak disekolahkan")
    OTHER = "other", _("Hal lain")


HARM_TO_VIOLENCE: dict[str, str] = {
    Harm.HIT: ViolenceType.PHYSICAL,
    Harm.THREATENED: ViolenceType.PSYCHOLOGICAL,
    Harm.TOUCHED: ViolenceType.SEXUAL,
    Harm.SEXUAL: ViolenceType.SEXUAL,
    Harm.SHOWN: ViolenceType.SEXUAL,
    Harm.WORK: ViolenceType.EXPLOITATION,
    Harm.SOLD: ViolenceType.TRAFFICKING,
    Harm.NEGLECTED: ViolenceType.NEGLECT,
    Harm.OTHER: ViolenceType.OTHER,
}


class MessageSender(models.TextChoices):
    REPORTER = "reporter", _("Pelapor")
    STAFF = "staff", _("Petugas")


class Undelivered(models.TextChoices):
    """Why an officer's message did not reach a reporter on the channel the report came by (perisai.channels).
    The reporter can still read it on the status page or with STATUS."""

    WINDOW = (
        "window",
        _(
            "Tidak terkirim ke WhatsApp pelapor: WhatsApp hanya mengizinkan balasan dalam 24 jam sejak pesan terakhir "
            "pelapor. Pelapor tetap dapat membacanya lewat Cek laporan atau dengan mengirim STATUS."
        ),
    )
    NOTICE = (
        "notice",
        _(
            "Sudah lewat 24 jam sejak pesan terakhir pelapor, jadi WhatsApp hanya memberi tahu pelapor bahwa ada pesan "
            "baru. Isinya dibaca pelapor lewat Cek laporan atau dengan mengirim STATUS."
        ),
    )
    FAILED = (
        "failed",
        _(
            "Tidak terkirim ke WhatsApp/SMS pelapor: penyedia layanan menolak atau gagal mengirim. Pelapor tetap dapat "
            "membacanya lewat Cek laporan atau dengan mengirim STATUS."
        ),
    )
