"""Writes of the statistics app: case-list exports (requested, built, downloaded)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from perisai.audit.choices import AuditAction
from perisai.audit.services import audit_record
from perisai.core import crypto
from perisai.stats.events import export_requested
from perisai.stats.models import CaseExport, ExportFormat, ExportStatus
from perisai.stats.periods import Period
from perisai.stats.policies import stats_policy

KEEP_READY = dt.timedelta(hours=1)


@transaction.atomic
def export_request(*, actor, period: Period, kecamatan: str | None, file_format: str) -> CaseExport:
    """Queue an export; the worker builds it after commit (the task gets the id only)."""
    if not stats_policy.can(actor, "export_cases") or file_format not in ExportFormat.values:
        raise PermissionDenied
    export = CaseExport.objects.create(
        requested_by=actor,
        file_format=file_format,
        params={
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "basis": period.basis,
            "kecamatan": kecamatan or "",
        },
        expires_at=timezone.now() + KEEP_READY,
    )
    export_requested.fire(export_id=export.pk)  # stats.tasks queues the build after commit
    return export


def export_progress(*, export: CaseExport, done: int, total: int) -> None:
    CaseExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.RUNNING, progress=round(100 * done / total) if total else 100
    )


@transaction.atomic
def export_finish(*, export: CaseExport, content: bytes, rows: int) -> None:
    CaseExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.READY,
        progress=100,
        rows=rows,
        content=crypto.encrypt(content),
        finished_at=timezone.now(),
        expires_at=timezone.now() + KEEP_READY,
    )


def export_fail(*, export: CaseExport) -> None:
    CaseExport.objects.filter(pk=export.pk).update(status=ExportStatus.FAILED, content=b"")


@transaction.atomic
def export_download(*, actor, export: CaseExport) -> bytes:
    """The file, for the person who asked for it, while it is fresh; audited in the same transaction."""
    export = CaseExport.objects.select_for_update().get(pk=export.pk)
    if export.requested_by_id != actor.pk or export.status != ExportStatus.READY or export.expired:
        raise PermissionDenied
    if export.downloaded_at is not None or not export.content:
        raise PermissionDenied
    audit_record(
        actor=actor,
        action=AuditAction.EXPORTED,
        obj=export,
        extra={**export.params, "rows": export.rows, "format": export.file_format},
    )
    content = crypto.decrypt(bytes(export.content))
    # One download: a second copy needs a new export (and a new audit trail entry).
    CaseExport.objects.filter(pk=export.pk).update(downloaded_at=timezone.now(), content=b"")
    return content


def exports_purge() -> int:
    """Drop the content of expired exports (the row stays, for the list)."""
    return CaseExport.objects.filter(expires_at__lt=timezone.now()).exclude(content=b"").update(content=b"")
