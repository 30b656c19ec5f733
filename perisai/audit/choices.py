from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    # Sign-in and sessions
    LOGIN = "login", _("Masuk")
    LOGIN_FAILED = "login_failed", _("Gagal masuk")
    LOGOUT = "logout", _("Keluar")
    LOCKED_OUT = "locked_out", _("Akun dikunci sementara (terlalu banyak percobaan)")
    MFA_ENROLLED = "mfa_enrolled", _("Faktor kedua diaktifkan")
    MFA_REMOVED = "mfa_removed", _("Faktor kedua dihapus")
    SESSIONS_ENDED = "sessions_ended", _("Semua sesi diakhiri")
    # Accounts, roles and reference data
    USER_CREATED = "user_created", _("Akun dibuat")
    USER_UPDATED = "user_updated", _("Akun diubah")
    USER_DEACTIVATED = "user_deactivated", _("Akun dinonaktifkan")
    ROLES_CHANGED = "roles_changed", _("Peran diubah")
    PASSWORD_SET = "password_set", _("Kata sandi diganti oleh administrator")
    AGENCY_SAVED = "agency_saved", _("Instansi disimpan")
    REGIONS_LOADED = "regions_loaded", _("Data wilayah dimuat")
    # Reading and taking out personal data
    RECORD_VIEWED = "record_viewed", _("Berkas dibuka")
    BREAK_THE_GLASS = "break_the_glass", _("Akses darurat di luar kewenangan")
    ATTACHMENT_STORED = "attachment_stored", _("Lampiran disimpan")
    ATTACHMENT_VIEWED = "attachment_viewed", _("Lampiran dibuka")
    EXPORTED = "exported", _("Data diekspor")
    PRINTED = "printed", _("Dicetak")
    # Reports
    REPORT_RECEIVED = "report_received", _("Laporan diterima")
    REPORT_FIRST_CONTACT = "report_first_contact", _("Kontak pertama dengan pelapor dicatat")
    REPORT_MESSAGE = "report_message", _("Pesan laporan")
    REPORT_PIN_FAILED = "report_pin_failed", _("PIN laporan salah")
    REPORT_ATTACHED = "report_attached", _("Laporan digabungkan ke kasus")
    REPORT_CLOSED = "report_closed", _("Laporan ditutup (bukan kasus / dilimpahkan)")
    # Cases
    CASE_OPENED = "case_opened", _("Kasus dibuka")
    CASE_ASSIGNED = "case_assigned", _("Pendamping ditetapkan")
    CASE_TRANSITIONED = "case_transitioned", _("Status kasus diubah")
    CASE_UPDATED = "case_updated", _("Data kasus diubah")
    APPROVAL_REQUESTED = "approval_requested", _("Persetujuan supervisor diminta")
    APPROVAL_DECIDED = "approval_decided", _("Persetujuan supervisor diputuskan")
    # Referrals, operations and meetings (issue 6)
    REFERRAL_SENT = "referral_sent", _("Dirujuk ke instansi mitra")
    SHARING_OVERRIDE = "sharing_override", _("Rujukan dikirim supervisor tanpa dasar berbagi data")
    REFERRAL_VIEWED = "referral_viewed", _("Rujukan dibuka")
    REFERRAL_ACCEPTED = "referral_accepted", _("Rujukan diterima mitra")
    REFERRAL_DECLINED = "referral_declined", _("Rujukan ditolak mitra")
    REFERRAL_QUESTION = "referral_question", _("Mitra bertanya")
    REFERRAL_ANSWERED = "referral_answered", _("Kantor menjawab / berbagi informasi tambahan")
    REFERRAL_ACTION = "referral_action", _("Mitra mencatat tindakan")
    REFERRAL_COMPLETED = "referral_completed", _("Rujukan diselesaikan mitra")
    REFERRAL_REVOKED = "referral_revoked", _("Rujukan dicabut")
    OUTREACH_RECORDED = "outreach_recorded", _("Operasi penjangkauan dicatat")
    MEETING_RECORDED = "meeting_recorded", _("Rapat koordinasi dicatat")
    # Data protection (UU PDP 27/2022)
    CONSENT_RECORDED = "consent_recorded", _("Dasar hukum / persetujuan dicatat")
    SUBJECT_REQUEST = "subject_request", _("Permintaan subjek data dicatat")
    SUBJECT_REQUEST_CLOSED = "subject_request_closed", _("Permintaan subjek data diselesaikan")
    BREACH_RECORDED = "breach_recorded", _("Insiden kebocoran dicatat")
    BREACH_NOTIFIED = "breach_notified", _("Pemberitahuan kebocoran dikirim")
    RETENTION_APPLIED = "retention_applied", _("Retensi diterapkan (anonimisasi)")
    KEYS_ROTATED = "keys_rotated", _("Kunci enkripsi dirotasi")


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", _("Berhasil")
    DENIED = "denied", _("Ditolak")
    FAILURE = "failure", _("Gagal")
