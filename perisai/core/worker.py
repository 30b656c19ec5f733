"""Background tasks that survive a crash. django-tasks-db marks a task RUNNING when a worker claims it and has no
way to notice that the worker died (kill -9, out of memory, a power cut): the task would stay RUNNING forever and
never run. Each worker here beats a heartbeat row from a thread every few seconds; a RUNNING task whose worker has
not beaten for a lease is run again, up to PERISAI_TASK_MAX_ATTEMPTS times, or marked failed where administrators
see it (/staf/akun/tugas-latar/). Perisai's tasks are written to be safe to run twice (they carry ids and re-read
state), so at-least-once is the contract."""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from perisai.core.models import ProcessHeartbeat

logger = logging.getLogger(__name__)

# What a task lost with its worker is marked as; the tasks page names it in Indonesian.
WORKER_LOST = "perisai.core.worker.WorkerLost"


def new_ident() -> str:
    """Unique per process start, readable in the tasks page: host, pid and a random tail (at most 64 chars)."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"


def heartbeat_beat(*, kind: str, ident: str) -> None:
    """Say that process `ident` is alive now (one committed write: it also proves the database takes writes)."""
    now = timezone.now()
    updated = ProcessHeartbeat.objects.filter(ident=ident).update(seen_at=now)
    if not updated:
        ProcessHeartbeat.objects.update_or_create(
            ident=ident,
            defaults={"kind": kind, "seen_at": now},
            create_defaults={"kind": kind, "host": socket.gethostname()[:100], "pid": os.getpid(), "seen_at": now},
        )


def heartbeat_forget(*, ident: str) -> None:
    """A process that stops cleanly removes its row: its tasks finished, nothing is left to recover."""
    ProcessHeartbeat.objects.filter(ident=ident).delete()


@dataclass
class Recovery:
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def tasks_recover_stalled(*, now=None) -> Recovery:
    """Run again, or mark failed, every RUNNING task whose worker stopped beating more than a lease ago.

    A task claimed less than a lease ago is left alone: its worker may not have beaten yet. A worker that is only
    slow (a beat missed for a whole lease) could see its task run a second time; tasks are idempotent for that.
    """
    now = now or timezone.now()
    lease = timezone.timedelta(seconds=settings.PERISAI_WORKER_LEASE_SECONDS)
    alive = set(
        ProcessHeartbeat.objects.filter(kind=ProcessHeartbeat.Kind.WORKER, seen_at__gte=now - lease).values_list(
            "ident", flat=True
        )
    )
    result = Recovery()
    suspects = DBTaskResult.objects.running().filter(started_at__lt=now - lease).values_list("id", "worker_ids")
    for task_id, worker_ids in suspects:
        if worker_ids and worker_ids[-1] in alive:
            continue
        with transaction.atomic():
            task = DBTaskResult.objects.select_for_update().filter(pk=task_id, status="RUNNING").first()
            if task is None or task.worker_ids != worker_ids:
                continue  # finished, or claimed again, since we looked
            attempts = len(task.worker_ids)
            if attempts < settings.PERISAI_TASK_MAX_ATTEMPTS:
                task.status = "READY"
                task.save(update_fields=["status"])
                result.requeued.append(str(task.pk))
                logger.warning("task requeued after its worker died: task=%s attempts=%s", task.pk, attempts)
            else:
                task.status = "FAILED"
                task.finished_at = now
                task.exception_class_path = WORKER_LOST
                task.traceback = (
                    f"The worker running this task ({worker_ids[-1] if worker_ids else '?'}) stopped without "
                    f"finishing it, {attempts} time(s). Not run again."
                )
                task.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
                result.failed.append(str(task.pk))
                logger.error("task failed: its worker died %s times: task=%s", attempts, task.pk)
    # Rows of processes gone for a day tell nothing more.
    ProcessHeartbeat.objects.filter(seen_at__lt=now - timezone.timedelta(days=1)).delete()
    return result


# How long a stopping process waits for its heartbeat thread's last beat (a busy database can hold one for seconds;
# systemd waits 90 s before it kills).
STOP_WAIT_SECONDS = 30


class HeartbeatWorker(Worker):
    """django-tasks-db's worker with a heartbeat thread. The thread beats even while a long task runs (a PDF, an
    export), so only a process that is gone, or frozen for a whole lease, loses its task."""

    kind = ProcessHeartbeat.Kind.WORKER

    def run(self) -> None:
        heartbeat_beat(kind=self.kind, ident=self.worker_id)
        stop = threading.Event()
        beater = threading.Thread(target=self._beat_until, args=(stop,), name="heartbeat", daemon=True)
        beater.start()
        try:
            super().run()
        finally:
            stop.set()
            beater.join(timeout=STOP_WAIT_SECONDS)
            # Only once the thread has stopped: a beat still under way (waiting for the database) would write the row
            # again after its removal, and the stopped worker would look alive for a whole lease.
            if beater.is_alive():
                logger.warning("worker %s: heartbeat still beating at exit; its row ages out", self.worker_id)
            else:
                try:
                    heartbeat_forget(ident=self.worker_id)
                except DatabaseError:
                    logger.warning("worker %s could not remove its heartbeat", self.worker_id)

    def _beat_until(self, stop: threading.Event) -> None:
        try:
            while not stop.wait(settings.PERISAI_WORKER_HEARTBEAT_SECONDS):
                try:
                    close_old_connections()
                    heartbeat_beat(kind=self.kind, ident=self.worker_id)
                except DatabaseError:
                    # The database is away (a restart): the next beat tries again; the lease is several beats long.
                    logger.warning("worker heartbeat failed; retrying")
        finally:
            connection.close()
