"""One scheduler process runs every periodic job (perisai/ops/jobs.py). Each minute it claims the jobs that came
due by inserting (job, due time) - a unique pair, so two schedulers on two app servers never both run a job - and
either runs the job itself (inline) or queues it for the worker. It also beats a heartbeat, which /healthz reads."""

from __future__ import annotations

import datetime as dt
import logging
import threading

from django.db import IntegrityError, connection, transaction
from django.tasks import task
from django.utils import timezone

from perisai.core.models import ProcessHeartbeat
from perisai.core.worker import heartbeat_beat
from perisai.ops import jobs as schedule
from perisai.ops.models import JobRun

logger = logging.getLogger(__name__)


def jobrun_claim(*, job: schedule.Job, due_at: dt.datetime) -> JobRun | None:
    """The run of `job` for `due_at`, if nobody claimed it yet."""
    try:
        with transaction.atomic():
            return JobRun.objects.create(job=job.name, due_at=due_at)
    except IntegrityError:
        return None


def jobrun_execute(*, run: JobRun) -> JobRun:
    """Run a claimed job and record how it went. A failure is recorded, logged and shown on the background-work
    page; it never stops the scheduler or the other jobs."""
    job = schedule.job_named(run.job)
    try:
        if job is None:
            raise LookupError(f"no job named {run.job}")
        detail, ok = job.run(), True
    except Exception as error:  # any failure of a job is recorded; the loop and the other jobs go on
        logger.exception("scheduled job failed: job=%s", run.job)
        detail = f"{type(error).__name__}: {error}" if isinstance(error, schedule.JobFailed) else type(error).__name__
        ok = False
    run.finished_at, run.ok, run.detail = timezone.now(), ok, str(detail)[:300]
    run.save(update_fields=["finished_at", "ok", "detail"])
    return run


@task
def run_scheduled_job(run_id: int) -> bool:
    """A job the scheduler handed to the worker. Safe to run again after a worker crash: a finished run is left
    alone, and every job is itself idempotent (notices are claimed, retention skips anonymised cases)."""
    run = JobRun.objects.filter(pk=run_id, finished_at__isnull=True).first()
    if run is None:
        return False
    return bool(jobrun_execute(run=run).ok)


_threads: list[threading.Thread] = []


def _execute_in_thread(run_id: int) -> None:
    try:
        run = JobRun.objects.filter(pk=run_id, finished_at__isnull=True).first()
        if run is not None:
            jobrun_execute(run=run)
    finally:
        connection.close()  # this thread's own connection


def threads_wait(timeout: float | None = None) -> None:
    """Let long jobs started by this process finish (the command waits before it exits)."""
    while _threads:
        _threads.pop().join(timeout)


def tick(*, ident: str, now: dt.datetime | None = None) -> list[JobRun]:
    """One pass: beat, then claim and start every job that came due. Returns the runs this pass claimed."""
    now = now or timezone.now()
    heartbeat_beat(kind=ProcessHeartbeat.Kind.SCHEDULER, ident=ident)
    claimed = []
    for job in schedule.jobs():
        if not job.enabled():
            continue
        with transaction.atomic():
            # The claim and the hand-over to the worker commit together: a database lost in between must not leave a
            # run claimed, so never made up, with no task to do it.
            run = jobrun_claim(job=job, due_at=job.due_before(now))
            if run is not None and not (job.inline or job.own_thread):
                run_scheduled_job.enqueue(run.pk)
        if run is None:
            continue
        claimed.append(run)
        if job.inline:
            jobrun_execute(run=run)
        elif job.own_thread:
            # Started after the claim committed, which the thread reads on its own connection. A scheduler stopped
            # mid-run leaves the run unfinished on the background page; the next night makes a new archive.
            thread = threading.Thread(target=_execute_in_thread, args=(run.pk,), name=f"job-{job.name}")
            thread.start()
            _threads[:] = [alive for alive in _threads if alive.is_alive()] + [thread]
    return claimed
