"""Readiness facts for /healthz: every part Perisai needs to take a report and act on it. Each check answers
"ok" or "error"; /healthz answers 503 naming the failing ones. No data is revealed, only whether parts work, and
the figures behind them only to the server itself or a monitor holding the metrics token.

/livez answers only "can this process reach the database": that is what a load balancer should route on. A dead
worker is a reason to page the IT person, not to take every app server out of rotation."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from perisai.core.models import ProcessHeartbeat
from perisai.core.worker import heartbeat_beat

logger = logging.getLogger(__name__)

OK, ERROR, UNKNOWN = "ok", "error", "unknown"


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("healthz: database unreachable")
        return ERROR
    return OK


# /healthz is public. A flood of it must not become a flood of writes (SQLite has one writer) or of migration
# graphs: a successful write is trusted for WRITE_PROOF_SECONDS, and applied migrations stay applied until the code
# changes, which restarts the process. Failures are never remembered: the next probe looks again.
WRITE_PROOF_SECONDS = 2.0
_state: dict = {}


def forget() -> None:
    """Look again at the next probe (each test starts from here)."""
    _state.update(written_at=float("-inf"), migrated=False)


forget()


def web_ident() -> str:
    return f"web-{socket.gethostname()[:40]}-{os.getpid()}"


def database_writable() -> str:
    """A real committed write (this web process's heartbeat row): a full disk, a read-only database or a replica
    promoted by mistake fail here, where a SELECT would still pass."""
    if time.monotonic() - _state["written_at"] < WRITE_PROOF_SECONDS:
        return OK
    try:
        with transaction.atomic():
            heartbeat_beat(kind=ProcessHeartbeat.Kind.WEB, ident=web_ident())
    except DatabaseError:
        logger.warning("healthz: the database refused a write")
        return ERROR
    _state["written_at"] = time.monotonic()
    return OK


def migrations_status() -> str:
    """'pending' after a deploy that forgot `migrate`: the site may fail on the next write."""
    if _state["migrated"]:
        return OK
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return UNKNOWN
    _state["migrated"] = not plan
    return "pending" if plan else OK


def warm_up() -> None:
    """Pay a fresh web process's one-off costs before it takes requests: importing every view (the URLconf) and
    reading the migration graph. Otherwise the first request after each start, and after each recycling
    (gunicorn's max_requests), waits over a second for them; a monitor's probe then times out on a healthy site.
    Called from gunicorn's post_worker_init. A database that is down now is not an error here: /healthz will say."""
    from django.db import connections
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 -- the import is the point
    try:
        migrations_status()
    except Exception:  # a warm-up never stops a worker from starting
        logger.warning("warm-up: the migration check failed", exc_info=True)
    finally:
        # gthread serves requests from other threads, each with its own connection; this one would sit idle.
        connections.close_all()


def web_heartbeat_once() -> bool:
    """One beat of this web process, in the calling thread's own connection, closed after. Never raises: a beat
    that fails is logged and the next one tries again."""
    from django.db import connections

    try:
        with transaction.atomic():
            heartbeat_beat(kind=ProcessHeartbeat.Kind.WEB, ident=web_ident())
        return True
    except Exception:  # DatabaseError, InterfaceError, anything: the thread must outlive it (restore relies on it)
        logger.warning("web heartbeat: the beat failed", exc_info=True)
        return False
    finally:
        try:
            connections.close_all()  # this thread's connections only
        except Exception:
            logger.warning("web heartbeat: closing the connection failed", exc_info=True)


_heartbeat: dict = {}


def web_heartbeat_start(interval: float | None = None) -> threading.Thread:
    """Beat every `interval` seconds (PERISAI_WORKER_HEARTBEAT_SECONDS) until web_heartbeat_stop(), whether or not
    anything probes /healthz: a restore refuses to run while a web process beat within the lease
    (ops.restore.processes_running), and a server nobody monitors must be seen too. Called from gunicorn's
    post_worker_init."""
    every = interval if interval is not None else settings.PERISAI_WORKER_HEARTBEAT_SECONDS
    stop = threading.Event()

    def beat_until_stopped() -> None:
        while not stop.is_set():
            web_heartbeat_once()
            stop.wait(every)

    thread = threading.Thread(target=beat_until_stopped, name="perisai-web-heartbeat", daemon=True)
    _heartbeat.update(stop=stop, thread=thread)
    thread.start()
    return thread


def web_heartbeat_stop(timeout: float = 5) -> None:
    """A web process that exits cleanly stops beating, then removes its row (gunicorn's worker_exit): in this order,
    or a last beat could write the row again and a restore would wait a whole lease for nothing."""
    from django.db import connections

    from perisai.core.worker import heartbeat_forget

    if _heartbeat:
        _heartbeat["stop"].set()
        _heartbeat["thread"].join(timeout)
        if _heartbeat["thread"].is_alive():
            return  # a beat is still under way and would write the row again: it ages out of the lease instead
    try:
        heartbeat_forget(ident=web_ident())
    except DatabaseError:
        pass  # the row ages out of the lease on its own
    finally:
        connections.close_all()


def watched_directories() -> list[Path]:
    """Where Perisai writes: the data directory (the SQLite file, secrets, exports), attachments, backups."""
    places = [Path(settings.VAR_DIR), Path(settings.MEDIA_ROOT)]
    backup_dir = getattr(settings, "PERISAI_BACKUP_DIR", None)
    if backup_dir:
        places.append(Path(backup_dir))
    if connection.vendor == "sqlite":
        places.append(Path(settings.DATABASES["default"]["NAME"]).parent)
    return list(dict.fromkeys(place for place in places if place.exists()))


def disk_free_mb() -> int | None:
    """The least free space, in MB, among the places Perisai writes to."""
    free = [shutil.disk_usage(place).free // 2**20 for place in watched_directories()]
    return min(free) if free else None


def seconds_since_beat(kind: str, now) -> int | None:
    seen = ProcessHeartbeat.objects.filter(kind=kind).order_by("-seen_at").values_list("seen_at", flat=True).first()
    return None if seen is None else max(0, int((now - seen).total_seconds()))


def oldest_queued_seconds(now) -> int | None:
    oldest = DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", "run_after").first()
    if oldest is None:
        return None
    enqueued_at, run_after = oldest
    # A task queued for later waits from its run_after, not from when it was queued.
    waiting_since = run_after if run_after.year < 9999 and run_after > enqueued_at else enqueued_at
    return max(0, int((now - waiting_since).total_seconds()))


def report() -> tuple[dict[str, str], dict[str, int | None]]:
    """(checks, figures). Figures are seconds and megabytes, for the monitor; checks say what fails."""
    now = timezone.now()
    checks: dict[str, str] = {"database": database_status()}
    figures: dict[str, int | None] = {"disk_free_mb": disk_free_mb()}
    free = figures["disk_free_mb"]
    checks["disk"] = OK if free is None or free >= settings.PERISAI_HEALTH_MIN_FREE_MB else ERROR
    if checks["database"] != OK:
        for name in ("database_writable", "migrations", "worker", "scheduler", "queue"):
            checks[name] = UNKNOWN
        return checks, figures
    checks["database_writable"] = database_writable()
    checks["migrations"] = migrations_status()
    figures["worker_seen_seconds_ago"] = seconds_since_beat(ProcessHeartbeat.Kind.WORKER, now)
    figures["scheduler_seen_seconds_ago"] = seconds_since_beat(ProcessHeartbeat.Kind.SCHEDULER, now)
    figures["oldest_queued_seconds"] = oldest_queued_seconds(now)
    limits = {
        "worker": (figures["worker_seen_seconds_ago"], settings.PERISAI_HEALTH_WORKER_MAX_SECONDS),
        "scheduler": (figures["scheduler_seen_seconds_ago"], settings.PERISAI_HEALTH_SCHEDULER_MAX_SECONDS),
    }
    for name, (age, limit) in limits.items():
        checks[name] = OK if age is not None and age <= limit else ERROR
    waited = figures["oldest_queued_seconds"]
    checks["queue"] = OK if waited is None or waited <= settings.PERISAI_HEALTH_QUEUE_MAX_SECONDS else ERROR
    return checks, figures
