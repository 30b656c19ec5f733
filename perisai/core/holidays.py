"""The office's holidays as a set of ISO dates, for the working-day arithmetic (reports.deadlines): the days
administrators keep in Perisai (core.models.Holiday) and any PERISAI_HOLIDAYS from the environment.

Read on every report's receipt, so kept per process: a change made in this process is seen at once, one made in
another process (another gunicorn worker, the task worker) within CACHE_SECONDS. A holiday entered a minute late
moves a promise by a day at worst; a query per report would cost every reporter.

The receipt must show even when the database has just failed (reports.public_views keeps a committed report's
receipt through an outage), so a failed read keeps the last set read, or the environment's alone."""

from __future__ import annotations

from time import monotonic

from django.conf import settings
from django.db import DatabaseError

CACHE_SECONDS = 60.0

# (read at, dates, generation): replaced whole, never changed in place, so threads read it without a lock.
_cached: tuple[float, frozenset[str], int] | None = None
# Bumped by forget(): a read that began before a change does not store what it read.
_generation = 0


def office_holidays() -> frozenset[str]:
    global _cached
    cached, generation = _cached, _generation
    if cached is None or cached[2] != generation or monotonic() - cached[0] > CACHE_SECONDS:
        from perisai.core.models import Holiday  # not at import: settings load this module's callers early

        try:
            dates = frozenset(day.isoformat() for day in Holiday.objects.values_list("date", flat=True))
        except DatabaseError:
            dates = cached[1] if cached is not None else frozenset()
        else:
            if generation == _generation:
                _cached = (monotonic(), dates, generation)
        cached = (0.0, dates, generation)
    return cached[1] | frozenset(settings.PERISAI_HOLIDAYS)


def forget() -> None:
    """Read the table again at the next call (after a change here; between tests)."""
    global _cached, _generation
    _generation += 1
    _cached = None
