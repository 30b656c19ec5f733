"""The public statistics (/statistik/): yearly and quarterly tables, small cells suppressed, never below
kecamatan level. Only quarters that have ended are published: figures that change day by day would let a
reader see one new case appear."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from perisai.stats import counting
from perisai.stats.periods import BASIS_REPORT, Period
from perisai.stats.suppression import Cell, suppress_line, suppress_table

PUBLIC_DIMENSIONS = ["jenis", "kecamatan", "usia", "kelamin", "hubungan"]


@dataclass(frozen=True)
class PublicTable:
    key: str
    title: str
    unit: str
    note: str
    rows: list[tuple[str, list[Cell], Cell]]  # label, a cell per quarter, the year's total
    column_totals: list[Cell]
    grand_total: Cell
    total_label: str
    withheld: bool


@dataclass(frozen=True)
class PublicStatistics:
    year: int
    basis: str
    quarters: list[int]
    columns: list[str]
    summary: list[tuple[str, str, list[Cell]]]  # label, unit, cells per quarter then the year
    tables: list[PublicTable]

    @property
    def period(self) -> Period | None:
        if not self.quarters:
            return None
        return Period(Period.quarter(self.year, 1).start, Period.quarter(self.year, self.quarters[-1]).end, self.basis)


def published_quarters(year: int, today: dt.date | None = None) -> list[int]:
    today = today or timezone.localdate()
    return [q for q in range(1, 5) if Period.quarter(year, q).end < today]


def public_statistics(year: int, basis: str = BASIS_REPORT, today: dt.date | None = None) -> PublicStatistics:
    quarters = published_quarters(year, today)
    columns = [f"T{q}" for q in quarters] + [_("Tahun %(year)s") % {"year": year}]
    if not quarters:
        return PublicStatistics(year, basis, [], columns, [], [])
    facts = counting.facts_for(Period(dt.date(year, 1, 1), Period.quarter(year, quarters[-1]).end, basis))
    parts = [facts.within(Period.quarter(year, q, basis)) for q in quarters]

    def line(values: list[int]) -> tuple[list[int], list[str]]:
        values = [*values, sum(values)]
        return values, suppress_line(values)

    victims, victim_states = line([p.victim_count for p in parts])
    cases, case_states = line([p.case_count for p in parts])
    perpetrators, perpetrator_states = line([p.perpetrator_count for p in parts])
    summary = [
        (_("Anak korban"), _("korban"), [Cell(v, s) for v, s in zip(victims, victim_states, strict=True)]),
        (_("Kasus"), _("kasus"), [Cell(v, s) for v, s in zip(cases, case_states, strict=True)]),
        (_("Terduga pelaku"), _("pelaku"), [Cell(v, s) for v, s in zip(perpetrators, perpetrator_states, strict=True)]),
    ]
    tables = []
    for key in PUBLIC_DIMENSIONS:
        dimension = counting.dimensions()[key]
        per_quarter = [counting.breakdown(p, key) for p in parts]
        labels = [row.label for row in per_quarter[0].rows]
        matrix = [[b.rows[i].count for b in per_quarter] for i in range(len(labels))]
        if dimension.multi:  # column totals are mentions, not people: this table's own; no cell exceeds the victims
            table = suppress_table(matrix, caps=victims)
            total_label = _("Jumlah penyebutan")
        elif dimension.unit == counting.UNIT_PERPETRATORS:
            table = suppress_table(matrix, column_totals=perpetrators, total_states=perpetrator_states)
            total_label = _("Jumlah pelaku")
        else:
            table = suppress_table(matrix, column_totals=victims, total_states=victim_states)
            total_label = _("Jumlah korban")
        tables.append(
            PublicTable(
                key=key,
                title=str(dimension.title),
                unit=str(counting.UNIT_LABELS[dimension.unit]),
                note=str(dimension.note),
                rows=[(labels[i], table.cells[i], table.row_totals[i]) for i in range(len(labels))],
                column_totals=table.column_totals,
                grand_total=table.grand_total,
                total_label=total_label,
                withheld=table.withheld,
            )
        )
    return PublicStatistics(year, basis, quarters, columns, summary, tables)


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
        for label, cells, total in table.rows:
            writer.writerow([table.title, table.unit, label, *(c.display for c in cells), total.display])
        writer.writerow(
            [
                table.title,
                table.unit,
                table.total_label,
                *(c.display for c in table.column_totals),
                table.grand_total.display,
            ]
        )
    return out.getvalue()
