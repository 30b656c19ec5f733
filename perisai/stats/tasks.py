"""Background work of the statistics app. Tasks carry ids only, never personal data."""

from __future__ import annotations

import datetime as dt

from django.tasks import task


@task
def build_export(export_id: int) -> int:
    """Build one case-list export, reporting progress per batch; the file is stored encrypted."""
    from perisai.cases.policies import case_policy
    from perisai.stats import counting, exports, services
    from perisai.stats.models import CaseExport
    from perisai.stats.periods import Period

    export = CaseExport.objects.select_related("requested_by").get(pk=export_id)
    try:
        params = export.params
        period = Period(dt.date.fromisoformat(params["start"]), dt.date.fromisoformat(params["end"]), params["basis"])
        facts = counting.facts_for(period, kecamatan=params["kecamatan"] or None)
        user = export.requested_by
        rows = list(
            exports.case_rows(
                facts,
                case_policy.visible_to(user),
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
