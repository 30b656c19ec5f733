"""The monthly report for the head of office (PDF, WeasyPrint): the dashboard's figures for a month beside the
previous month and the same month a year earlier, with the charts, under a configurable letterhead.

WeasyPrint can fetch URLs; this report needs none (styles and charts are inline), so every fetch is refused."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation

from perisai.stats import charts, counting, tallies
from perisai.stats.dashboard import deadline_compliance, figures_for, referral_figures, victims_by_month
from perisai.stats.periods import Period

Figures = counting.Facts | tallies.Tallies
MONTHLY_DIMENSIONS = ["jenis", "kecamatan", "usia", "kelamin", "hubungan", "terdekat", "tempat", "layanan"]


@dataclass(frozen=True)
class Comparison:
    title: str
    unit: str
    rows: list[tuple[str, int, int, int]]  # label, this month, previous month, same month last year
    totals: tuple[int, int, int]


def comparisons(now: Figures, before: Figures, year_ago: Figures) -> list[Comparison]:
    result = []
    for key in MONTHLY_DIMENSIONS:
        this, prev, last = (f.breakdown(key) for f in (now, before, year_ago))
        rows = [
            (row.label, row.count, p.count, y.count) for row, p, y in zip(this.rows, prev.rows, last.rows, strict=False)
        ]
        result.append(
            Comparison(str(this.dimension.title), this.unit_label, rows, (this.total, prev.total, last.total))
        )
    return result


def monthly_html(year: int, month: int, *, basis: str) -> str:
    """The report as HTML, always in Indonesian (an official document of the office). It depends only on the
    figures and the day, so the same HTML means the same PDF (see cached_pdf)."""
    with translation.override("id"):
        return _monthly_html(year, month, basis=basis)


def _monthly_html(year: int, month: int, *, basis: str) -> str:
    period = Period.month(year, month, basis)
    with tallies.reading() as current:  # the dashboard's figures, from one state of the data
        now, before, year_ago = (
            figures_for(p, kecamatan=None, current=current)
            for p in (period, period.previous_month(), period.years_earlier())
        )
        # The twelve months ending with this one, for the trend.
        if month == 12:
            twelve = Period.year(year, basis)
        else:
            twelve = Period(Period.month(year - 1, month + 1, basis).start, period.end, basis)
        points = counting.trend(
            twelve,
            victims_by_month(twelve, kecamatan=None, current=current),
            victims_by_month(twelve.years_earlier(), kecamatan=None, current=current),
        )
        by_kecamatan = now.breakdown("kecamatan")
        types = now.breakdown("jenis")
        context = {
            "period": period,
            "previous": period.previous_month(),
            "year_ago": period.years_earlier(),
            "letterhead": settings.PERISAI_LETTERHEAD or [settings.PERISAI_OFFICE_NAME],
            "totals": [
                ("Anak korban", "korban", now.victim_count, before.victim_count, year_ago.victim_count),
                ("Kasus", "kasus", now.case_count, before.case_count, year_ago.case_count),
                (
                    "Terduga pelaku",
                    "pelaku",
                    now.perpetrator_count,
                    before.perpetrator_count,
                    year_ago.perpetrator_count,
                ),
            ],
            "comparisons": comparisons(now, before, year_ago),
            "types_chart": charts.bars([(row.label, row.count) for row in types.rows]),
            "trend_chart": charts.trend(points),
            "map": charts.kecamatan_map({row.code: row.count for row in by_kecamatan.rows}),
            "compliance": deadline_compliance(now),
            "referrals": referral_figures(now),
            "prepared_on": timezone.localdate(),
        }
    return render_to_string("stats/monthly.html", context)


def refuse_fetch(url: str, *args, **kwargs):
    raise ValueError(f"the monthly report fetches nothing: {url[:60]}")


CACHE_SECONDS = 7 * 24 * 60 * 60


def cached_pdf(html: str) -> bytes:
    """Rendering takes WeasyPrint half a second or more, while the figures and HTML take milliseconds. The
    HTML is the statistics version: a past month whose figures did not change gives the same HTML (the day
    included, since open deadlines and referrals are counted as of today) and so the PDF already made."""
    key = "stats:monthly-pdf:" + hashlib.sha256(html.encode()).hexdigest()
    pdf = cache.get(key)
    if pdf is None:
        pdf = monthly_pdf(html)
        cache.set(key, pdf, CACHE_SECONDS)
    return pdf


def monthly_pdf(html: str) -> bytes:
    # Imported here on purpose: WeasyPrint loads Pango and its fonts (about a second and tens of MB), which every
    # process would otherwise pay at start although only this download uses it.
    import weasyprint

    return weasyprint.HTML(string=html, url_fetcher=refuse_fetch).write_pdf()
