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
