"""Reads that may be a few seconds old (statistics, exports) from a PostgreSQL streaming replica, when one is
configured (PERISAI_REPLICA_DATABASE_URL; docs/operations.md, "Read replica"; docs/scaling.md).

Routing is by context, not by model: the code that reads statistics says so with `reading_from_replica()`, and the
router (`ReplicaRouter`, settings.DATABASE_ROUTERS) sends the reads inside it to the "replica" alias. Nothing else
changes: every write goes to the primary, and so does every read outside such a block. Core knows no domain: which
reads may be stale is decided by the apps that make them.

Reads stay on the primary, even inside the block:
- while the primary's connection is inside a transaction: that transaction may have written what it reads (a
  read-your-own-write), and a fold of the statistics tallies must count what the primary holds. A test's own
  transaction is one too, so ordinary tests read the primary whatever is configured;
- for the cache, the sessions and the task queue: state that one request writes and the next reads back at once
  (rate limits, used second-factor codes, an import waiting between its dry run and the import);
- while the replica is down: `reading_from_replica()` checks it on entry with a short connect timeout, and one that
  does not answer is left alone for `DOWN_SECONDS` (per process), its reads going to the primary meanwhile;
- while the replica is behind: the same check measures how far (`lag_seconds()`), and one more than
  PERISAI_REPLICA_MAX_LAG_SECONDS behind is left alone the same way. A standby cut off from its primary, or stuck
  replaying, is up but shows old figures: they would be wrong without an error anywhere.

A replica lost in the middle of a block fails that one page or task; the next block finds it down and reads the
primary.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from time import monotonic

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
# How long a replica that did not answer is left alone before a block tries it again.
DOWN_SECONDS = 30.0
# Apps whose rows are read back by the next request: never from a copy that may lag (see the module's docstring).
PRIMARY_ONLY = frozenset({"django_cache", "sessions", "django_tasks_database"})

# The alias the reads of the current block go to (None: outside any block).
_chosen: ContextVar[str | None] = ContextVar("perisai_read_alias", default=None)
# Per process: until when (monotonic()) the replica counts as down.
_down_until = 0.0
# Per process: the lag last measured (None: not measured, or the replica did not answer) and when.
_last_lag: float | None = None
_lag_checked_at = float("-inf")


def configured() -> bool:
    return REPLICA in connections.settings


@contextmanager
def reading_from_replica() -> Iterator[str]:
    """Reads inside go to the replica, a few seconds behind the primary at most, when one is configured and
    answering; to the primary otherwise. Only for reads that may be that stale: statistics and exports, never a
    page showing what its user has just written (an export's status page). Yields the alias chosen."""
    alias = REPLICA if _chosen.get() == REPLICA or _usable() else DEFAULT_DB_ALIAS
    token = _chosen.set(alias)
    try:
        yield alias
    finally:
        _chosen.reset(token)


@contextmanager
def reading_from_primary() -> Iterator[None]:
    """Reads inside go to the primary, also within reading_from_replica(): for the part of a statistics read that
    must see every committed write (folding the tallies' pending marks)."""
    token = _chosen.set(DEFAULT_DB_ALIAS)
    try:
        yield
    finally:
        _chosen.reset(token)


def read_alias() -> str:
    """Where a read made now goes (the router's answer for every model outside PRIMARY_ONLY)."""
    if _chosen.get() != REPLICA or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return REPLICA


def _usable() -> bool:
    """Is the replica configured, answering and not too far behind? A connection kept from an earlier request is
    checked with a `SELECT 1` (a few hundred microseconds); a new one is opened with the alias's connect_timeout
    (settings.py: 2 s), so an unreachable replica costs a page at most that once per DOWN_SECONDS. The lag is
    measured at most once per LAG_CHECK_SECONDS in a process, so that pages do not pay for it each time."""
    global _down_until, _last_lag
    if not configured() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return False  # in a transaction on the primary reads stay there anyway (read_alias): nothing to check
    if monotonic() < _down_until:
        return False
    replica = connections[REPLICA]
    measure = monotonic() - _lag_checked_at >= LAG_CHECK_SECONDS
    try:
        if replica.connection is not None and not replica.is_usable():
            replica.close()  # the server restarted or went away since: reconnect below
        replica.ensure_connection()
        if measure:
            _measure(replica)
    except DatabaseError as error:
        _down_until, _last_lag = monotonic() + DOWN_SECONDS, None
        try:
            replica.close()
        except DatabaseError:
            pass  # already broken: nothing to close cleanly
        # The error's type only: its message names the host and port, which the operator knows.
        logger.warning(
            "read replica unavailable, reading the primary for %ss: %s", int(DOWN_SECONDS), type(error).__name__
        )
        return False
    if _last_lag is not None and _last_lag > settings.PERISAI_REPLICA_MAX_LAG_SECONDS:  # measured now or lately
        _down_until = monotonic() + DOWN_SECONDS
        logger.warning(
            "read replica %.0f s behind the primary, reading the primary for %ss", _last_lag, int(DOWN_SECONDS)
        )
        return False
    return True


def lag_seconds() -> float | None:
    """How old the replica's copy is, in seconds (the /metrics gauge). While a replica found too far behind is left
    alone, the lag last measured (an alert on "above the limit" must see it); None without a replica, while one that
    did not answer is left alone (a scrape must not wait for its connect timeout), inside a transaction, or when a
    server does not answer now."""
    if not configured() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return None
    if down_for() > 0:
        return _last_lag
    try:
        connections[REPLICA].ensure_connection()
        return _measure(connections[REPLICA])
    except DatabaseError:
        return None


def _measure(replica) -> float | None:
    """Measure the lag now and remember it for this process (None: the primary did not answer). Raises
    DatabaseError when the replica fails."""
    global _last_lag, _lag_checked_at
    position = _primary_position()
    _last_lag = _lag(replica, position) if position is not None else None
    _lag_checked_at = monotonic()
    return _last_lag


def _primary_position():
    """The primary's flushed WAL position; None (and a warning) when the primary itself fails: that is not the
    replica's fault, so it is not marked down for it."""
    primary = connections[DEFAULT_DB_ALIAS]
    if primary.vendor != "postgresql":
        return "0/0"  # the tests' stand-in on SQLite: nothing to measure (_lag answers 0)
    try:
        primary.ensure_connection()
        with primary.wrap_database_errors, primary.connection.cursor() as cursor:
            cursor.execute(_PRIMARY_POSITION)
            return cursor.fetchone()[0]
    except DatabaseError as error:
        logger.warning("read replica lag not measured, the primary did not answer: %s", type(error).__name__)
        return None


# The primary's position in its write-ahead log (flushed: what a standby can have received), then on the replica:
# 0 if it has replayed at least that far, otherwise the age of the last transaction it replayed (the primary wrote
# after it, so the copy is at least that old). The primary is asked first, so a write between the two makes the
# answer older, never younger. Positions, not only the replay time, because an idle primary's replica replays
# nothing and is still up to date.
_PRIMARY_POSITION = "SELECT pg_current_wal_flush_lsn()"
_REPLICA_LAG = """
    SELECT pg_is_in_recovery(), CASE
        WHEN pg_last_wal_replay_lsn() >= %s::pg_lsn THEN 0::float8
        ELSE COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float8, 'Infinity')
    END
"""
# A replica that is behind by a moment only, replaying the primary's first write after a quiet hour, would look an
# hour behind (its last replayed transaction is that old): asked again this much later, it has caught up.
RECHECK_SECONDS = 0.2
# How often a process measures the lag (the pages in between use the last measure).
LAG_CHECK_SECONDS = 5.0


def _lag(replica, position) -> float:
    """Raises DatabaseError when the replica fails (it is then left alone as down)."""
    if replica.vendor != "postgresql":
        return 0.0  # only the tests' stand-in: a second connection to the same SQLite file
    # On the drivers' own connections, like Django's is_usable(): a probe of the servers, not a read of the
    # application's (it is neither logged with the page's queries nor counted as one of them).
    in_recovery, lag = _replica_lag(replica, position)
    if not in_recovery:
        if _same_server(replica):
            return 0.0  # the tests' stand-in: the primary itself
        # Promoted (a failover, or by mistake) while Perisai still writes to the old primary: a copy that will
        # never move again.
        logger.warning("read replica is not a standby (promoted?): reading the primary")
        return float("inf")
    if lag > 1:
        time.sleep(RECHECK_SECONDS)  # at most once per LAG_CHECK_SECONDS in a process (_usable)
        _in_recovery, again = _replica_lag(replica, position)
        if again == 0:
            return RECHECK_SECONDS
    return max(0.0, float(lag))


def wait_for_primary_writes(alias: str, *, timeout: float = 1.0) -> bool:
    """Wait (up to `timeout`) until the replica `alias` has replayed what the primary has written so far: for a
    read that must see a write just made on the primary (the statistics' fold). True when it has, or when there is
    nothing to wait for; False past the timeout, the read then being as old as the replica is."""
    if alias == DEFAULT_DB_ALIAS or connections[alias].vendor != "postgresql":
        return True
    if _last_lag is not None and _last_lag > timeout:
        return False  # measured behind by more than the wait: waiting would only slow the page
    position = _primary_position()
    if position is None:
        return False
    try:
        replica = connections[alias]
        replica.ensure_connection()
        deadline = monotonic() + timeout
        while True:
            in_recovery, lag = _replica_lag(replica, position)
            if not in_recovery or lag == 0:
                return True
            if monotonic() >= deadline:
                return False
            time.sleep(0.01)
    except DatabaseError:
        return False  # the read itself will meet the failure, or not


def _replica_lag(replica, position) -> tuple[bool, float]:
    with replica.wrap_database_errors, replica.connection.cursor() as cursor:
        cursor.execute(_REPLICA_LAG, [str(position)])
        in_recovery, lag = cursor.fetchone()
    return bool(in_recovery), float(lag)


def _same_server(replica) -> bool:
    primary = connections[DEFAULT_DB_ALIAS].settings_dict
    return all(replica.settings_dict.get(key) == primary.get(key) for key in ("HOST", "PORT", "NAME"))


def forget_down() -> None:
    """Try the replica again at the next block, and measure its lag again (tests; an operator's shell after fixing
    it)."""
    global _down_until, _last_lag, _lag_checked_at
    _down_until, _last_lag, _lag_checked_at = 0.0, None, float("-inf")


def down_for() -> float:
    """Seconds before the next block tries a replica found down (0: not marked down)."""
    return max(0.0, _down_until - monotonic())


class ReplicaRouter:
    """settings.DATABASE_ROUTERS. Without a replica every answer is the primary, as without a router.

    Reads outside a block answer the primary explicitly rather than None: Django would otherwise send the related
    rows of an object read from the replica back to the replica, outside the block that allowed it."""

    def db_for_read(self, model, **hints) -> str:
        if model._meta.app_label in PRIMARY_ONLY:
            return DEFAULT_DB_ALIAS
        return read_alias()

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the same database, one copy a little behind the other

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS  # the replica replays the primary's migrations; it cannot run its own
