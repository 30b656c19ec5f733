"""Reads for the background-work page: each scheduled job with its latest run and its next due time."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from perisai.ops.jobs import jobs
from perisai.ops.models import JobRun


def jobs_overview(*, now: dt.datetime | None = None) -> list[dict]:
    now = now or timezone.now()
    rows = []
    for job in jobs():
        last = JobRun.objects.filter(job=job.name).order_by("-due_at").first()
        last_ok = JobRun.objects.filter(job=job.name, ok=True).order_by("-due_at").values_list("finished_at", flat=True)
        due = job.due_before(now)
        rows.append(
            {
                "job": job,
                "enabled": job.enabled(),
                "last": last,
                "last_success": last_ok.first(),
                # The next slot after the one already due (which is either run or being run).
                "next_due": job.due_before(due + (job.every or dt.timedelta(days=1)) + dt.timedelta(seconds=1)),
            }
        )
    return rows
