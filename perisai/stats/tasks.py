"""Background work of the statistics app. Tasks carry ids only, never personal data.

The code that needs this work done announces it (stats.events) and never imports this module; `connect()`
subscribes here, after commit, when the app is ready."""

from __future__ import annotations

import datetime as dt

from django.tasks import task
from django_tasks_db.models import DBTaskResult

from perisai.core.replica import reading_from_replica
from perisai.stats import counting, exports, services, tallies
from perisai.stats.events import export_requested, recount_wanted
from perisai.stats.models import CaseExport
from perisai.stats.periods import Period
from perisai.stats.policies import stats_policy


@task
def build_export(export_id: int) -> int:
    """Build one case-list export, reporting progress per batch; the file is stored encrypted.

    The export was requested a moment ago, so its row is read from the primary; the counting (the costly part: 4 s
    for a year at 1,000,000 victims) from the read replica when there is one. Which cases the requester may take out
    and the rows themselves are read on the primary: a permission is never decided on a copy that lags."""
    export = CaseExport.objects.select_related("requested_by").get(pk=export_id)
    try:
        params = export.params
        period = Period(dt.date.fromisoformat(params["start"]), dt.date.fromisoformat(params["end"]), params["basis"])
        with reading_from_replica():
            facts = counting.facts_for(period, kecamatan=params["kecamatan"] or None)
        user = export.requested_by
        rows = list(
            exports.case_rows(
                facts,
                stats_policy.record_scope(user),
                progress=lambda done, total: services.export_progress(export=export, done=done, total=total),
            )
        )
        mark = exports.watermark(user, at=export.requested_at)
        writer = exports.write_xlsx if export.file_format == "xlsx" else exports.write_csv
        services.export_finish(export=export, content=writer(rows, mark), rows=len(rows))
    except Exception:
        services.export_fail(export=export)
        raise
    return len(rows)


@task
def recount_tallies() -> int:
    """Fold the pending marks into the stored tallies, so the next dashboard reader has nothing to recount."""
    return tallies.recount_pending()


def schedule_recount() -> None:
    """Queue a recount unless one is already waiting. Called after a commit that marked cases; the task is
    idempotent, so the rare duplicate from two commits at once costs one empty check."""
    waiting = DBTaskResult.objects.filter(task_path=f"{__name__}.recount_tallies", status="READY").exists()
    if not waiting:
        recount_tallies.enqueue()


def queue_export(*, export_id: int) -> None:
    try:
        build_export.enqueue(export_id)
    except Exception:
        # The request is saved but nothing would ever build it: the export page says "failed" (and offers to ask
        # again) instead of "waiting" forever. Raised on, so the event logs it.
        services.export_fail(export=CaseExport(pk=export_id))
        raise


def connect() -> None:
    """Called once, by StatsConfig.ready(). After commit: a failure to queue is logged and never turns a saved
    change into an error page; the next mark or reader folds what is left."""
    recount_wanted.subscribe(schedule_recount, after_commit=True)
    export_requested.subscribe(queue_export, after_commit=True)
