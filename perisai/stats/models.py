"""Case-list exports: built in the background, kept encrypted for a short time, downloaded once by whoever
asked for them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel (xlsx)")
    CSV = "csv", _("CSV")


class ExportStatus(models.TextChoices):
    WAITING = "waiting", _("Menunggu")
    RUNNING = "running", _("Sedang dibuat")
    READY = "ready", _("Siap diunduh")
    FAILED = "failed", _("Gagal")


class CaseExport(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    file_format = models.CharField(max_length=4, choices=ExportFormat.choices)
    # Period and kecamatan only (codes and dates): never anything about a child.
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.WAITING)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    rows = models.PositiveIntegerField(default=0)
    content = models.BinaryField(blank=True, default=b"")  # Fernet ciphertext (perisai.core.crypto)
    finished_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)  # once: the stored file is then dropped
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"ekspor {str(self.public_id)[:8]}"

    @property
    def expired(self) -> bool:
        return timezone.now() >= self.expires_at


# --- Stored tallies (perisai.stats.tallies) --------------------------------------------------------------
# Derived data, like an index: every row can be rebuilt from the cases with `manage.py stats_rebuild`.
# They hold counts per day, kecamatan and category code only: nothing about any one child.


class Grain(models.TextChoices):
    DAY = "d", "day"
    MONTH = "m", "month"  # day = the first of the month; the sum of that month's day rows


class DailyTally(models.Model):
    """People (victims or perpetrators, by the dimension's unit) and distinct cases per category code, for the
    cases that one date basis puts on one day (or month) in one kecamatan."""

    basis = models.CharField(max_length=10)  # perisai.stats.periods.BASIS_*
    grain = models.CharField(max_length=1, choices=Grain.choices)
    day = models.DateField()
    kecamatan = models.CharField(max_length=20, blank=True)  # Kemendagri code, "" when unknown
    dimension = models.CharField(max_length=20)
    code = models.CharField(max_length=40, blank=True)
    count = models.PositiveIntegerField()
    cases = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["basis", "grain", "day", "kecamatan", "dimension", "code"], name="stats_tally_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.basis} {self.grain} {self.day} {self.kecamatan} {self.dimension}={self.code}: {self.count}"


class CountedCase(models.Model):
    """Where each case is tallied, so a change can take it out of the day it leaves, and so live counts (open
    tasks, referrals) can pick a period's counted cases without reading every victim."""

    case_id = models.BigIntegerField(primary_key=True)  # no foreign key: outlives a deleted case until recounted
    report_day = models.DateField()
    incident_day = models.DateField(null=True)
    kecamatan = models.CharField(max_length=20, blank=True)
    counted = models.BooleanField()  # at least one child victim (docs/statistics.md)

    class Meta:
        indexes = [
            models.Index(fields=["report_day", "kecamatan"], name="stats_counted_report_idx"),
            models.Index(fields=["incident_day", "kecamatan"], name="stats_counted_incident_idx"),
        ]

    def __str__(self) -> str:
        return f"case {self.case_id}: {self.report_day} {self.kecamatan}"


class PendingRecount(models.Model):
    """A case changed and its tallies are not yet recounted. Written in the same transaction as the change
    (perisai.stats.subscribers), folded in by the next reader (tallies.recount_pending) before it counts."""

    case_id = models.BigIntegerField()

    def __str__(self) -> str:
        return f"recount case {self.case_id}"
