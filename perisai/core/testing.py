"""Helpers for tests that compare what a page shows with what was stored.

A test must never format an expected date with Python's own `%b`/`%B`: those follow the runner's locale and
spell months in English ("Dec"), while the pages speak Indonesian ("Des"). It passed for months in which the two
languages agree (Jan, Feb, Mar, Apr, Jun, Jul, Sep, Nov) and failed the rest of the year. `shown_date` formats the
expectation exactly the way the template's `date` filter does.
"""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone, translation


def shown_date(value: dt.date | dt.datetime, fmt: str = "d M Y", *, language: str = "id") -> str:
    """`value` as `{{ value|date:fmt }}` renders it: in the office's time zone and the interface language."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        # The template engine shows aware datetimes in the current time zone (Asia/Jakarta) before formatting.
        value = timezone.localtime(value)
    with translation.override(language):
        return formats.date_format(value, fmt)
