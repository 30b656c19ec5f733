"""The public statistics (/statistik/): a year by quarter, with running totals "January to the end of quarter k"
beside the quarters (the period of a press release: "Januari-September"), small cells suppressed, never below
kecamatan level. Only quarters that have ended are published: figures that change day by day would let a reader
see one new case appear. Every period of a year is suppressed in one table (quarters, running totals and the
year together): pages for overlapping periods suppressed apart would give hidden cells back by subtraction
(issue 14's review). Months are not offered: January to every month M publishes every month, at a scale where
nearly every monthly cell is below five."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field, replace

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from perisai.stats import counting
from perisai.stats.periods import BASIS_REPORT, MONTHS_SHORT, Period
from perisai.stats.suppression import SHOWN, SMALL_MAX, WITHHELD, Cell, primary_state, suppress_line, suppress_table

PUBLIC_DIMENSIONS = ["jenis", "kecamatan", "usia", "kelamin", "hubungan"]
VIEW_QUARTERS = "triwulan"
VIEW_RUNNING = "kumulatif"


@dataclass(frozen=True)
class PublicTable:
    key: str
    title: str
    unit: str
    note: str
    rows: list[tuple[str, list[Cell], Cell]]  # label, a cell per quarter then per running total, the year's total
    column_totals: list[Cell]
    grand_total: Cell
    total_label: str
    withheld: bool
    quarterly: bool = True  # False: only the period's total column (the page's other tables may be by quarter)


@dataclass(frozen=True)
class PublicStatistics:
    year: int
    basis: str
    quarters: list[int]
    columns: list[str]
    summary: list[tuple[str, str, list[Cell]]]  # label, unit, cells per quarter, per running total, the year
    tables: list[PublicTable]

    published_to: int = 0  # the last quarter counted (also when only the year is shown)
    running: list[int] = field(default_factory=list)  # running totals shown: January to the end of quarter k
    view: str = VIEW_QUARTERS

    @property
    def period(self) -> Period | None:
        if not self.published_to:
            return None
        return Period(Period.quarter(self.year, 1).start, Period.quarter(self.year, self.published_to).end, self.basis)


CACHE_SECONDS = 60 * 60


def cached_statistics(year: int, basis: str) -> PublicStatistics:
    """The public figures, cached for the page, its CSV and the API alike: open to everyone, and they change only
    when a quarter ends or a case of a past quarter is recorded late (then the cache is at most an hour behind)."""
    today = timezone.localdate()
    key = f"stats:public:v2:{year}:{basis}:{today.isoformat()}:{get_language()}"
    return cache.get_or_set(key, lambda: public_statistics(year, basis, today), CACHE_SECONDS)


def published_quarters(year: int, today: dt.date | None = None) -> list[int]:
    today = today or timezone.localdate()
    return [q for q in range(1, 5) if Period.quarter(year, q).end < today]


def public_statistics(year: int, basis: str = BASIS_REPORT, today: dt.date | None = None) -> PublicStatistics:
    quarters = published_quarters(year, today)
    year_label = _("Tahun %(year)s") % {"year": year}
    if not quarters:
        return PublicStatistics(year, basis, [], [year_label], [], [])
    facts = counting.facts_for(Period(dt.date(year, 1, 1), Period.quarter(year, quarters[-1]).end, basis))
    parts = [facts.within(Period.quarter(year, q, basis)) for q in quarters]
    lines = {
        "victims": [p.victim_count for p in parts],
        "cases": [p.case_count for p in parts],
        "perpetrators": [p.perpetrator_count for p in parts],
    }
    # Quarterly columns only when no quarter's total is from 1 to 4. Those totals are shared by several tables
    # (each child has one kecamatan, one age band, one sex); hiding one would have to be consistent across all
    # of them at once, so instead a year with a small quarter is published for the whole year only.
    if any(1 <= v <= SMALL_MAX for line in lines.values() for v in line):
        return _year_only(year, basis, facts, year_label, quarters[-1])
    running = running_totals(len(quarters))
    columns = [f"T{q}" for q in quarters] + [running_label(k) for k in running] + [year_label]
    totals = {name: [*line, sum(line)] for name, line in lines.items()}
    shown = [SHOWN] * (len(quarters) + 1)
    summary_lines = {name: [*line, *(sum(line[:k]) for k in running), sum(line)] for name, line in lines.items()}
    summary = [
        (_("Anak korban"), _("korban"), [Cell(v) for v in summary_lines["victims"]]),
        (_("Kasus"), _("kasus"), [Cell(v) for v in summary_lines["cases"]]),
        (_("Terduga pelaku"), _("pelaku"), [Cell(v) for v in summary_lines["perpetrators"]]),
    ]
    tables = []
    for key in PUBLIC_DIMENSIONS:
        dimension = counting.dimension(key)
        per_quarter = [counting.breakdown(p, key) for p in parts]
        labels = [row.label for row in per_quarter[0].rows]
        matrix = [[b.rows[i].count for b in per_quarter] for i in range(len(labels))]
        if dimension.multi:  # column totals are mentions, not people: this table's own; no cell exceeds the victims
            table = suppress_table(matrix, caps=totals["victims"], prefixes=running)
        else:
            people = totals["perpetrators" if dimension.unit == counting.UNIT_PERPETRATORS else "victims"]
            table = suppress_table(matrix, column_totals=people, total_states=shown, prefixes=running)
        if table.withheld:
            # No safe choice of hidden cells per quarter (e.g. three small quarters adding up to a published
            # year total pin each other down): this table is published for the year only.
            tables.append(_line_table(key, counting.breakdown(facts, key), quarterly=False))
            continue
        rows = [(labels[i], [*table.cells[i], *table.running[i]], table.row_totals[i]) for i in range(len(labels))]
        column_totals = [*table.column_totals, *table.running_totals]
        tables.append(_table(key, rows, column_totals, table.grand_total, withheld=False))
    return PublicStatistics(year, basis, quarters, columns, summary, tables, quarters[-1], list(running))


def running_totals(quarters: int) -> tuple[int, ...]:
    """The running totals worth a column: January to the end of quarter k, for k between the first quarter
    (which is its own column) and the last one published (which is the year's column)."""
    return tuple(range(2, quarters))


def running_label(quarters: int) -> str:
    return f"{MONTHS_SHORT[0]}–{MONTHS_SHORT[3 * quarters - 1]}"


def view(stats: PublicStatistics, kind: str) -> PublicStatistics:
    """The page shows either the quarters or the running totals, beside the year: both are columns of the
    same jointly suppressed tables (a reader who looks at both learns nothing the audit did not allow for);
    one view at a time keeps a table readable on a phone."""
    if kind != VIEW_RUNNING or not stats.running:
        kind = VIEW_QUARTERS
    n, width = len(stats.quarters), len(stats.columns)
    if kind == VIEW_QUARTERS:
        keep = [*range(n), width - 1]
        columns = [stats.columns[i] for i in keep]
    else:
        keep = [0, *range(n, width)]
        columns = [running_label(1), *stats.columns[n:]]

    def pick(cells: list[Cell]) -> list[Cell]:
        return [cells[i] for i in keep[:-1]] if cells else cells

    summary = [(label, unit, [cells[i] for i in keep]) for label, unit, cells in stats.summary] if n else stats.summary
    tables = [
        replace(
            table,
            rows=[(label, pick(cells), total) for label, cells, total in table.rows],
            column_totals=pick(table.column_totals),
        )
        for table in stats.tables
    ]
    return replace(stats, columns=columns if n else stats.columns, summary=summary, tables=tables, view=kind)


def _table(key: str, rows, column_totals, grand_total, *, withheld: bool, quarterly: bool = True) -> PublicTable:
    dimension = counting.dimension(key)
    if dimension.multi:
        total_label = _("Jumlah penyebutan")
    elif dimension.unit == counting.UNIT_PERPETRATORS:
        total_label = _("Jumlah pelaku")
    else:
        total_label = _("Jumlah korban")
    return PublicTable(
        key=key,
        title=str(dimension.title),
        unit=str(counting.UNIT_LABELS[dimension.unit]),
        note=str(dimension.note),
        rows=rows,
        column_totals=column_totals,
        grand_total=grand_total,
        total_label=total_label,
        withheld=withheld,
        quarterly=quarterly,
    )


def _year_only(year: int, basis: str, facts: counting.Facts, year_label: str, last: int) -> PublicStatistics:
    """One column, the year: each table is a line of categories with its total (the victims or perpetrators
    of the year, published in the summary too, so never hidden as a complement)."""
    people = {"victims": facts.victim_count, "cases": facts.case_count, "perpetrators": facts.perpetrator_count}
    summary = [
        (label, unit, [Cell(people[name], primary_state(people[name]))])
        for name, label, unit in [
            ("victims", _("Anak korban"), _("korban")),
            ("cases", _("Kasus"), _("kasus")),
            ("perpetrators", _("Terduga pelaku"), _("pelaku")),
        ]
    ]
    tables = [_line_table(key, counting.breakdown(facts, key)) for key in PUBLIC_DIMENSIONS]
    return PublicStatistics(year, basis, [], [year_label], summary, tables, last)


def _line_table(key: str, data: counting.Breakdown, *, quarterly: bool = True) -> PublicTable:
    """A table as one line: the period's categories and their total (the victims or perpetrators of the period,
    published in the summary too, so never hidden as a complement; a multi-valued table's own total of
    mentions may be)."""
    values = [row.count for row in data.rows]
    if data.dimension.multi:
        total, fixed = sum(values), False
    else:
        total, fixed = data.total, True
    if 1 <= data.total <= SMALL_MAX:  # fewer than five children or perpetrators: no breakdown at all
        states, withheld = [WITHHELD] * (len(values) + 1), True
    else:
        states = suppress_line([*values, total], total_fixed=fixed)
        withheld = False
    cells = [Cell(v, s) for v, s in zip([*values, total], states, strict=True)]
    rows = [(row.label, [], cell) for row, cell in zip(data.rows, cells, strict=False)]
    return _table(key, rows, [], cells[-1], withheld=withheld, quarterly=quarterly)


def neutralise(value: str) -> str:
    """A spreadsheet runs a cell starting with = + - @ as a formula (CSV injection): prefix it with '."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def public_csv(stats: PublicStatistics) -> str:
    """Exactly what the page shows, table by table, with the same "<5" and "≥5"."""
    out = io.StringIO()
    raw = csv.writer(out)

    class writer:  # every cell neutralised on the way out
        @staticmethod
        def writerow(row):
            raw.writerow([neutralise(str(cell)) for cell in row])

    header = [_("Tabel"), _("Satuan"), _("Kategori"), *stats.columns]
    writer.writerow(header)
    for label, unit, cells in stats.summary:
        writer.writerow([_("Ringkasan"), unit, label, *(c.display for c in cells)])
    for table in stats.tables:
        if table.withheld:
            writer.writerow([table.title, table.unit, _("(tidak ditampilkan: angka terlalu kecil)")])
            continue
        # A table published for the period only leaves its quarter columns empty.
        pad = [] if table.quarterly else [""] * (len(stats.columns) - 1)
        for label, cells, total in table.rows:
            writer.writerow([table.title, table.unit, label, *pad, *(c.display for c in cells), total.display])
        writer.writerow(
            [
                table.title,
                table.unit,
                table.total_label,
                *pad,
                *(c.display for c in table.column_totals),
                table.grand_total.display,
            ]
        )
    return out.getvalue()
