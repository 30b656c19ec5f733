"""The office's holidays as a set of ISO dates, for the working-day arithmetic (reports.deadlines): the days
administrators keep in Perisai (core.models.Holiday) and any PERISAI_HOLIDAYS from the environment.

Read on every report's receipt, so kept per process: a change made in this process is seen at once, one made in
another process (another gunicorn worker, the task worker) within CACHE_SECONDS. A holiday entered a minute late
moves a promise by a day at worst; a query per report would cost every reporter.

The receipt must show even when the database has just failed (reports.public_views keeps a committed report's
receipt through an outage), so a failed read keeps the last set read, or the environment's alone."""

from __future__ import annotations

import logging
from time import monotonic

from django.conf import settings
from django.db import DatabaseError, transaction

logger = logging.getLogger(__name__)

CACHE_SECONDS = 60.0
RETRY_SECONDS = 5.0  # after a failed read, the last set serves this long before the table is tried again

# (read at, dates, generation): replaced whole, never changed in place, so threads read it without a lock.
_cached: tuple[float, frozenset[str], int] | None = None
# Bumped by forget(): a set read before a change is read again, and a read that began before it is not stored.
_generation = 0


def office_holidays() -> frozenset[str]:
    global _cached
    cached, generation = _cached, _generation
    if cached is None or cached[2] != generation or monotonic() - cached[0] > CACHE_SECONDS:
        from perisai.core.models import Holiday  # not at import: settings load this module's callers early

        try:
            # A savepoint inside a transaction (a WhatsApp report's): a failure here must not abort it.
            with transaction.atomic():
                dates = frozenset(day.isoformat() for day in Holiday.objects.values_list("date", flat=True))
            read_at = monotonic()
        except DatabaseError as error:
            logger.warning("office holidays not read, using the last ones read: %s", type(error).__name__)
            dates = cached[1] if cached is not None else frozenset()
            read_at = monotonic() - CACHE_SECONDS + RETRY_SECONDS
        if generation == _generation:
            _cached = (read_at, dates, generation)
        cached = (read_at, dates, generation)
    return cached[1] | frozenset(settings.PERISAI_HOLIDAYS)


def forget() -> None:
    """Read the table again at the next call (after a change here; between tests). The set last read stays as the
    fallback should that read fail."""
    global _generation
    _generation += 1


def forget_all() -> None:
    """As forget(), and drop the set itself (between tests: another test's rows)."""
    global _cached
    forget()
    _cached = None
