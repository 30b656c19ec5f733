"""Tasks survive a crash of their worker (issue 16, item 4): kill -9 mid-task, the task runs again on the next
worker; a task whose workers keep dying is marked failed where administrators see it."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from perisai.core import worker
from perisai.core.models import ProcessHeartbeat
from perisai.core.tests.crash_tasks import hang_on_first_run

ROOT = Path(__file__).resolve().parents[3]


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def start_worker() -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url(), "PERISAI_VAR_DIR": str(settings.VAR_DIR)}
    command = [
        sys.executable,
        "manage.py",
        "worker",
        "--queue-name",
        "*",
        "--no-startup-delay",
        "--no-reload",
        "--interval",
        "0.1",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_for(condition, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


@pytest.mark.django_db(transaction=True)
def test_a_task_whose_worker_is_killed_runs_again_on_the_next_worker(tmp_path):
    marker = tmp_path / "runs.txt"
    result = hang_on_first_run.enqueue(str(marker))
    first = start_worker()
    try:
        wait_for(lambda: marker.exists() and DBTaskResult.objects.get(pk=result.id).status == "RUNNING")
        first_ident = DBTaskResult.objects.get(pk=result.id).worker_ids[-1]
        assert ProcessHeartbeat.objects.filter(ident=first_ident, kind="worker").exists()
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        first.kill()
    # Killed: the task stays RUNNING, and nothing recovers it while the lease has not run out. Times are read off
    # the worker's own clock (its rows), so the test holds when this process's clock is frozen elsewhere.
    stalled = DBTaskResult.objects.get(pk=result.id)
    assert stalled.status == "RUNNING"
    last_beat = ProcessHeartbeat.objects.get(ident=first_ident).seen_at
    lease = dt.timedelta(seconds=settings.PERISAI_WORKER_LEASE_SECONDS)
    assert worker.tasks_recover_stalled(now=stalled.started_at + lease).requeued == []
    assert worker.tasks_recover_stalled(now=last_beat + lease + dt.timedelta(seconds=1)).requeued == [str(result.id)]
    second = start_worker()
    try:
        wait_for(lambda: DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL")
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=15) == 0
    finally:
        second.kill()
    finished = DBTaskResult.objects.get(pk=result.id)
    assert finished.return_value == 2 and marker.read_text().count("start") == 2
    assert len(finished.worker_ids) == 2 and finished.worker_ids[0] == first_ident
    # The killed worker's row stays until the day-old sweep; the one that stopped cleanly removed its own.
    assert list(ProcessHeartbeat.objects.values_list("ident", flat=True)) == [first_ident]


@pytest.mark.django_db
class RecoveryTests:
    def running(self, *, workers: list[str], started: dt.datetime) -> DBTaskResult:
        result = hang_on_first_run.enqueue("/nonexistent")
        DBTaskResult.objects.filter(pk=result.id).update(status="RUNNING", worker_ids=workers, started_at=started)
        return DBTaskResult.objects.get(pk=result.id)

    def test_a_live_workers_task_is_left_alone_however_long_it_runs(self):
        long_ago = timezone.now() - dt.timedelta(hours=3)
        task = self.running(workers=["w-alive"], started=long_ago)
        worker.heartbeat_beat(kind=ProcessHeartbeat.Kind.WORKER, ident="w-alive")
        assert worker.tasks_recover_stalled().requeued == []
        assert DBTaskResult.objects.get(pk=task.pk).status == "RUNNING"

    def test_after_the_last_attempt_the_task_is_marked_failed_and_says_why(self, settings):
        long_ago = timezone.now() - dt.timedelta(hours=3)
        dead = [f"w-dead-{n}" for n in range(settings.PERISAI_TASK_MAX_ATTEMPTS)]
        task = self.running(workers=dead, started=long_ago)
        recovery = worker.tasks_recover_stalled()
        assert recovery.failed == [str(task.pk)] and recovery.requeued == []
        failed = DBTaskResult.objects.get(pk=task.pk)
        assert failed.status == "FAILED" and failed.exception_class_path == worker.WORKER_LOST

    def test_a_web_process_heartbeat_does_not_keep_a_task_alive(self):
        task = self.running(workers=["same-ident"], started=timezone.now() - dt.timedelta(hours=1))
        worker.heartbeat_beat(kind=ProcessHeartbeat.Kind.WEB, ident="same-ident")
        assert worker.tasks_recover_stalled().requeued == [str(task.pk)]
