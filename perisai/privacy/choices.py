"""Data-protection registers under UU 27/2022 (Pelindungan Data Pribadi)."""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

# UU PDP Pasal 32-34 and 46: the controller answers a data subject's request, and notifies a breach,
# within 3 x 24 hours.
RESPONSE_WINDOW = dt.timedelta(hours=72)


class SubjectRequestKind(models.TextChoices):
    ACCESS = "access", _("Akses dan salinan data (Pasal 7)")
    CORRECTION = "correction", _("Perbaikan data (Pasal 6)")
    ERASURE = "erasure", _("Penghapusan data (Pasal 8)")
    RESTRICTION = "restriction", _("Penundaan atau pembatasan pemrosesan (Pasal 11)")
    WITHDRAW_CONSENT = "withdraw_consent", _("Penarikan persetujuan (Pasal 9)")


class RequesterRelation(models.TextChoices):
    SUBJECT = "subject", _("Subjek data sendiri")
    PARENT = "parent", _("Orang tua")
    GUARDIAN = "guardian", _("Wali")
    LAWYER = "lawyer", _("Kuasa hukum")
    OTHER = "other", _("Lainnya")


class SubjectRequestStatus(models.TextChoices):
    RECEIVED = "received", _("Diterima")
    IN_PROGRESS = "in_progress", _("Sedang diproses")
    COMPLETED = "completed", _("Selesai dipenuhi")
    REFUSED = "refused", _("Ditolak dengan alasan")


SUBJECT_REQUEST_TRANSITIONS: dict[str, frozenset[str]] = {
    SubjectRequestStatus.RECEIVED: frozenset(
        {SubjectRequestStatus.IN_PROGRESS, SubjectRequestStatus.COMPLETED, SubjectRequestStatus.REFUSED}
    ),
    SubjectRequestStatus.IN_PROGRESS: frozenset({SubjectRequestStatus.COMPLETED, SubjectRequestStatus.REFUSED}),
    SubjectRequestStatus.COMPLETED: frozenset(),
    SubjectRequestStatus.REFUSED: frozenset(),
}
CLOSED_REQUEST_STATUSES = frozenset({SubjectRequestStatus.COMPLETED, SubjectRequestStatus.REFUSED})


class BreachStatus(models.TextChoices):
    OPEN = "open", _("Ditangani, belum diberitahukan")
    NOTIFIED = "notified", _("Sudah diberitahukan")
    CLOSED = "closed", _("Selesai")
