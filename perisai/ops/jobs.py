"""The scheduler's jobs, as data: what runs, when, and where. One table, read by `manage.py scheduler`
(perisai/ops/scheduler.py) and shown on the background-work page. Nothing re-queues itself any more: a job that
did not run shows up as missing here, not as a chain that silently broke."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perisai.accounts.choices import Role
from perisai.accounts.selectors import office_staff
from perisai.core.notifications import emails_sweep, notify
from perisai.core.worker import tasks_recover_stalled


class JobFailed(Exception):
    """A job's own failure, with a message written to be shown (figures and codes, never personal data). Any other
    exception is recorded by its class name only: a database error's text can quote a row."""


@dataclass(frozen=True)
class Job:
    name: str
    title: str
    run: Callable[[], str]  # returns a short summary (figures, never personal data); raises on failure
    every: dt.timedelta | None = None  # interval jobs, aligned to the clock (every minute, every hour)
    at: dt.time | None = None  # daily jobs, local time (Asia/Jakarta)
    # Inline jobs run in the scheduler itself: recovering the worker's tasks cannot wait for the worker.
    inline: bool = False
    # Long jobs run in a thread of the scheduler: on the worker, a backup of many photos would hold up an urgent
    # report's alert for minutes (SQLite installations run exactly one worker), and inline it would stop the
    # scheduler's own minute-by-minute recovery and heartbeat.
    own_thread: bool = False
    enabled: Callable[[], bool] = lambda: True

    def due_before(self, now: dt.datetime) -> dt.datetime:
        """The latest time at or before `now` when this job was due. A run missed while the scheduler was down is
        made up once, not once per missed slot."""
        if self.every is not None:
            step = int(self.every.total_seconds())
            return dt.datetime.fromtimestamp(int(now.timestamp()) // step * step, tz=dt.UTC)
        local = timezone.localtime(now)
        at = self.at or dt.time(0, 0)
        due = local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
        return due if due <= local else due - dt.timedelta(days=1)


def recover_tasks() -> str:
    recovery = tasks_recover_stalled()
    return f"{len(recovery.requeued)} dijalankan ulang, {len(recovery.failed)} ditandai gagal"


def daily_digest() -> str:
    from perisai.portal.tasks import send_daily_digest  # the portal's digest composes every app's lines

    return f"{send_daily_digest.call()} e-mail ringkasan"


def due_task_notices() -> str:
    from perisai.cases.notices import tasks_notify_due

    return f"{tasks_notify_due()} pemberitahuan"


def retention() -> str:
    from perisai.cases.retention import apply_retention

    return f"{apply_retention()} kasus dianonimkan"


def prevention_files() -> str:
    from perisai.prevention.services import materials_expire

    return f"{materials_expire()} berkas kegiatan pencegahan dihapus"


def audit_check() -> str:
    """The nightly check of the audit trail's hash chain. A broken chain means someone changed the trail outside
    Perisai: every administrator hears of it at once (in the app and by e-mail), and the job is marked failed."""
    out = io.StringIO()
    try:
        call_command("audit_verify", stdout=out)
    except CommandError as error:
        notify(
            users=office_staff(Role.ADMINISTRATOR),
            message=str(_("PERINGATAN: pemeriksaan malam menemukan jejak audit rusak. Periksa server sekarang.")),
            url=reverse("ops:background"),
        )
        raise JobFailed(str(error)[:250]) from None
    return out.getvalue().strip().splitlines()[0][:250]


def backup() -> str:
    from perisai.ops.backup import backup_create

    return f"arsip {backup_create().name}"


def backup_configured() -> bool:
    return bool(getattr(settings, "PERISAI_BACKUP_KEY", ""))


def prune_task_results() -> str:
    """Old task records, and old scheduler runs: each minute-by-minute job adds 1,440 rows a day, the five-minute
    one 288."""
    from perisai.ops.models import JobRun

    out = io.StringIO()
    call_command("prune_db_task_results", "--queue-name", "*", "--min-age-days", "30", stdout=out)
    now = timezone.now()
    runs, _kinds = JobRun.objects.filter(finished_at__lt=now - dt.timedelta(days=30)).delete()
    frequent = [job.name for job in jobs() if job.every is not None and job.every < dt.timedelta(hours=1)]
    quiet, _kinds = JobRun.objects.filter(
        job__in=frequent, ok=True, finished_at__lt=now - dt.timedelta(days=2)
    ).delete()
    return f"{out.getvalue().strip()[:180]}; {runs + quiet} catatan penjadwal dihapus"


def channel_drafts() -> str:
    from perisai.channels.services import conversations_expire

    return f"{conversations_expire()} draf laporan WhatsApp/SMS dihapus"


def channel_urgent_drafts() -> str:
    from perisai.channels.services import conversations_forward_urgent

    return f"{conversations_forward_urgent()} laporan darurat yang terhenti diteruskan"


def notice_emails() -> str:
    return f"{emails_sweep()} e-mail pemberitahuan yang tertunda diantrekan"


def prune_attachments() -> str:
    from perisai.core.services import attachments_prune_orphans

    return f"{attachments_prune_orphans()} berkas lampiran tanpa pemilik dihapus"


def _at(setting: str, default: str) -> dt.time:
    return dt.time.fromisoformat(getattr(settings, setting, default) or default)


def jobs() -> list[Job]:
    return [
        Job("recover_tasks", _("Pulihkan tugas yang pekerjanya mati"), recover_tasks, every=dt.timedelta(minutes=1),
            inline=True),
        # Inline: a stopped worker cannot hold up the report and its in-app alert (its e-mails and the reply to the
        # reporter still go through the worker).
        Job("channel_urgent_drafts", _("Teruskan laporan darurat WhatsApp/SMS yang terhenti (> 10 menit)"),
            channel_urgent_drafts, every=dt.timedelta(minutes=1), inline=True),
        Job("channel_drafts", _("Hapus draf laporan WhatsApp/SMS yang ditinggalkan (> 24 jam)"), channel_drafts,
            every=dt.timedelta(hours=1)),
        Job("notice_emails", _("Antrekan e-mail pemberitahuan yang tertunda"), notice_emails,
            every=dt.timedelta(minutes=5)),
        Job("due_task_notices", _("Pengingat batas waktu tugas kasus"), due_task_notices, every=dt.timedelta(hours=1)),
        Job("daily_digest", _("Ringkasan tugas harian (e-mail)"), daily_digest,
            at=dt.time(settings.PERISAI_DIGEST_HOUR, 0)),
        Job("backup", _("Cadangan terenkripsi"), backup, at=_at("PERISAI_BACKUP_AT", "01:00"),
            enabled=backup_configured, own_thread=True),
        Job("retention", _("Retensi: anonimkan kasus lama"), retention, at=dt.time(2, 0)),
        Job("prevention_files", _("Retensi: hapus berkas kegiatan pencegahan lama"), prevention_files,
            at=dt.time(2, 15)),
        Job("audit_verify", _("Periksa rantai jejak audit"), audit_check, at=dt.time(3, 0)),
        Job("prune_task_results", _("Hapus catatan tugas lama (> 30 hari)"), prune_task_results, at=dt.time(4, 0)),
        Job("prune_attachments", _("Hapus berkas lampiran tanpa pemilik"), prune_attachments, at=dt.time(4, 30)),
    ]  # fmt: skip


def job_named(name: str) -> Job | None:
    return next((job for job in jobs() if job.name == name), None)
