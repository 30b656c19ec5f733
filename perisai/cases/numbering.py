"""Registration numbers: sequential per year, no gaps, no duplicates, even under concurrent opening."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from perisai.cases.models import CaseNumberCounter

ROMAN_MONTHS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def next_number(opened_at: dt.datetime) -> tuple[int, int, str]:
    """(year, sequence, formatted). Call inside the transaction that creates the case: the counter row
    stays locked until it commits, so the next opener waits and gets the following number; if the case is
    not saved, the counter rolls back with it and no number is lost."""
    year = opened_at.year
    CaseNumberCounter.objects.get_or_create(year=year)
    counter = CaseNumberCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    formatted = settings.PERISAI_CASE_NUMBER_FORMAT.format(
        seq=counter.last, roman_month=ROMAN_MONTHS[opened_at.month - 1], month=opened_at.month, year=year
    )
    return year, counter.last, formatted
