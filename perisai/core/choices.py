"""Lists the core keeps for every app: the kinds of notice a user can receive."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """What a notice is about, so each person can choose which kinds also come by e-mail. Categories, not
    domain objects: the apps that send notices pick one."""

    APPROVAL = "approval", _("Persetujuan supervisor: diminta dan diputuskan")
    URGENT_REPORT = "urgent_report", _("Laporan darurat masuk (kapan saja, juga malam hari)")
    REFERRAL = "referral", _("Rujukan: jawaban dan tindakan mitra")
    TASK_DUE = "task_due", _("Tugas: batas waktu dalam 24 jam dan terlambat")
    MEETING = "meeting", _("Rapat koordinasi dan tindak lanjutnya")
    OTHER = "other", _("Pemberitahuan lain")
