from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChildSituation(models.TextChoices):
    """Why a child was approached during an outreach operation (eksploitasi ekonomi: Pasal 76I UU 35/2014)."""

    BEGGING = "begging", _("Mengemis")
    WORKING = "working", _("Bekerja di jalan (mengamen, berjualan, dsb.)")
    NEGLECTED = "neglected", _("Terlantar / tanpa pendamping")
    OTHER = "other", _("Lainnya")
