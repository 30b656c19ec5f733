"""The office's holidays as a set of ISO dates, for the working-day arithmetic (reports.deadlines): the days
administrators keep in Perisai (core.models.Holiday) and any PERISAI_HOLIDAYS from the environment.

Read on every report's receipt, so kept per process: a change made in this process is seen at once, one made in
another process (another gunicorn worker, the task worker) within CACHE_SECONDS. A holiday entered a minute late
moves a promise by a day at worst; a query per report would cost every reporter."""

from __future__ import annotations

from time import monotonic

from django.conf import settings

CACHE_SECONDS = 60.0

_cached: tuple[float, frozenset[str]] | None = None


def office_holidays() -> frozenset[str]:
    global _cached
    if _cached is None or monotonic() - _cached[0] > CACHE_SECONDS:
        from perisai.core.models import Holiday  # not at import: settings load this module's callers early

        _cached = (monotonic(), frozenset(day.isoformat() for day in Holiday.objects.values_list("date", flat=True)))
    return _cached[1] | frozenset(settings.PERISAI_HOLIDAYS)


def forget() -> None:
    """Read the table again at the next call (after a change here; between tests)."""
    global _cached
    _cached = None
