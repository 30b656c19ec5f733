"""Statistics through the API. Analysts and supervisors of the office (by token) get the dashboard's aggregates for
any period; everyone else, with or without a token, gets exactly the public page's figures (small cells hidden,
only ended periods). The figures come from the read replica when one is configured (perisai.core.replica), as
on the pages."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils import timezone
from ninja import Field as F
from ninja import Query, Router, Schema, Status

from perisai.api.auth import token_auth
from perisai.api.schemas import Error, PublicStatistics, StaffStatistics
from perisai.core.replica import reading_from_replica
from perisai.stats import counting, public
from perisai.stats.periods import BASIS_INCIDENT, BASIS_REPORT, Period
from perisai.stats.policies import stats_policy

router = Router(tags=["statistik"])
BREAKDOWNS = ["jenis", "kecamatan", "usia", "kelamin", "hubungan", "tempat", "saluran", "layanan"]


FIRST, LAST = dt.date(2000, 1, 1), dt.date(2100, 12, 31)  # as the dashboard's period form


class StaffPeriod(Schema):
    start: dt.date = F(ge=FIRST, le=LAST, description="First day, local time")
    end: dt.date = F(ge=FIRST, le=LAST, description="Last day (inclusive); at most three years after start")
    basis: str = F(BASIS_REPORT, pattern=f"^({BASIS_REPORT}|{BASIS_INCIDENT})$")


class PublicPeriod(Schema):
    year: int = F(ge=2000, le=2100, description="The year, by ended quarter, as /statistik/")
    basis: str = F(BASIS_REPORT, pattern=f"^({BASIS_REPORT}|{BASIS_INCIDENT})$")


@router.get(
    "/statistics",
    response={200: StaffStatistics, 400: Error, 404: Error},
    summary="Aggregates (analysts and supervisors)",
    auth=token_auth,
)
def staff_statistics(request, query: Query[StaffPeriod]):
    if not stats_policy.can(request.user, "dashboard"):
        raise Http404
    if query.end < query.start or (query.end - query.start).days > 3 * 366:
        return Status(400, {"detail": "Periode tidak sah: akhir sebelum awal, atau lebih dari tiga tahun."})
    breakdowns = []
    with reading_from_replica():
        facts = counting.facts_for(Period(query.start, query.end, query.basis))
        for key in BREAKDOWNS:
            data = facts.breakdown(key)
            rows = [{"code": r.code, "label": r.label, "count": r.count} for r in data.rows]
            breakdowns.append({"key": key, "title": str(data.dimension.title), "unit": data.unit_label, "rows": rows})
    return Status(
        200,
        {
            "start": query.start,
            "end": query.end,
            "basis": query.basis,
            "victims": facts.victim_count,
            "cases": facts.case_count,
            "perpetrators": facts.perpetrator_count,
            "breakdowns": breakdowns,
        },
    )


# Public, as /statistik/: the same suppressed figures for everyone, whatever token is sent.
@router.get("/statistics/public", response={200: PublicStatistics, 404: Error}, summary="The public figures", auth=None)
def public_statistics(request, query: Query[PublicPeriod]):
    if query.year > timezone.localdate().year:
        raise Http404
    with reading_from_replica():
        stats = public.cached_statistics(query.year, query.basis)  # the page's cache: computing it is not cheap
    # victims, cases, perpetrators, in that order (public.public_statistics); labels are translated.
    summary = [cells[-1].display for _label, _unit, cells in stats.summary] or ["–", "–", "–"]
    return Status(
        200,
        {
            "year": stats.year,
            "published": bool(stats.published_to),
            "victims": summary[0],
            "cases": summary[1],
            "perpetrators": summary[2],
            "tables": [
                {
                    "key": table.key,
                    "title": table.title,
                    "unit": table.unit,
                    "rows": [] if table.withheld else [{"label": lbl, "shown": t.display} for lbl, _c, t in table.rows],
                    "total": "–" if table.withheld else table.grand_total.display,
                }
                for table in stats.tables
            ],
        },
    )
