"""Reporting periods: which dates a statistic covers, and which date of a case decides it."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, replace

from django.utils.translation import gettext_lazy as _

# Which date of a case puts it in a period (docs/statistics.md). SIMFONI counts by the report date
# ("waktu pelaporan"), so that is the default; the incident date is offered for analysis.
BASIS_REPORT = "laporan"
BASIS_INCIDENT = "kejadian"
BASIS_CHOICES = [
    (BASIS_REPORT, _("Tanggal laporan (kasus dicatat)")),
    (BASIS_INCIDENT, _("Tanggal kejadian")),
]

MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
MONTHS_SHORT = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    basis: str = BASIS_REPORT

    @classmethod
    def year(cls, year: int, basis: str = BASIS_REPORT) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), basis)

    @classmethod
    def quarter(cls, year: int, quarter: int, basis: str = BASIS_REPORT) -> Period:
        first = 3 * (quarter - 1) + 1
        return cls(dt.date(year, first, 1), _month_end(year, first + 2), basis)

    @classmethod
    def month(cls, year: int, month: int, basis: str = BASIS_REPORT) -> Period:
        return cls(dt.date(year, month, 1), _month_end(year, month), basis)

    @property
    def label(self) -> str:
        """The Indonesian name of the period as a press release writes it, months joined by an en dash."""
        s, e = self.start, self.end
        whole_months = s.day == 1 and e == _month_end(e.year, e.month)
        if whole_months and (s.year, s.month) == (e.year, e.month):
            return f"{MONTHS[s.month - 1]} {s.year}"
        if whole_months and s.year == e.year:
            return f"{MONTHS[s.month - 1]}–{MONTHS[e.month - 1]} {s.year}"
        if whole_months:
            return f"{MONTHS[s.month - 1]} {s.year}–{MONTHS[e.month - 1]} {e.year}"
        return f"{s.day} {MONTHS[s.month - 1]} {s.year}–{e.day} {MONTHS[e.month - 1]} {e.year}"

    def months(self) -> list[tuple[int, int]]:
        result = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            result.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return result

    def years_earlier(self, years: int = 1) -> Period:
        return replace(self, start=_shift_year(self.start, -years), end=_shift_year(self.end, -years))

    def previous_month(self) -> Period:
        year, month = (self.start.year - 1, 12) if self.start.month == 1 else (self.start.year, self.start.month - 1)
        return replace(Period.month(year, month), basis=self.basis)

    def contains(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _shift_year(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
