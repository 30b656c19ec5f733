"""A small rate limiter in the database: no cache server is needed, and every worker shares it.

Counts are kept per identity in short slices (a thirtieth of the window) and summed over the last window, so a
limit holds for any stretch of that length: fixed windows let a client spend a window's allowance just before a
clock boundary and another just after it (issue 15: about 10 PIN guesses instead of 5). A lock is recorded at
the moment it starts and lasts its full duration from then.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import secrets

from django.db import connections, router, transaction
from django.db.models import Sum
from django.utils import timezone

from perisai.core import crypto
from perisai.core.models import RateCounter

SLICES = 30


def address_key(address: str | None) -> str:
    """What an address limit counts: an IPv4 address, or the /64 of an IPv6 one. One subscriber is given a
    whole /64 and can rotate through it freely; counting single IPv6 addresses would be no limit at all."""
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return address or "unknown"
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))


def _key(bucket: str, identity: str) -> str:
    # The identity (an address, a device id, a tracking code) is hashed with the blind-index key, so the table
    # never holds an address in clear.
    return crypto.blind_index(identity, purpose=f"ratelimit.{bucket}")


def _slice_start(now: dt.datetime, window: dt.timedelta) -> dt.datetime:
    seconds = max(1, int(window.total_seconds()) // SLICES)
    return dt.datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, tz=dt.UTC)


def _sum(key: str, now: dt.datetime, window: dt.timedelta) -> int:
    total = RateCounter.objects.filter(key=key, window_start__gt=now - window, window_start__lte=now).aggregate(
        total=Sum("count")
    )["total"]
    return total or 0


def _count_and_sum(keys: list[str], now: dt.datetime, window: dt.timedelta) -> dict[str, int]:
    """Count one event for each key and return each key's events of the last `window`, this one included.

    One INSERT ... ON CONFLICT DO UPDATE ... RETURNING for all keys (SQLite >= 3.35 and PostgreSQL), where an
    UPDATE, an INSERT on a miss and a SELECT SUM per key took three to five statements in a transaction. The
    statement is atomic by itself: requests counting the same slice at once all count (the database queues them on
    the slice's row) and each gets a different total. The other slices are summed in the same statement; `keys` are
    distinct, so no row is touched twice."""
    start = _slice_start(now, window)
    connection = connections[router.db_for_write(RateCounter)]
    ops = connection.ops
    table, key_, start_, count_ = (
        ops.quote_name(name) for name in (RateCounter._meta.db_table, "key", "window_start", "count")
    )
    rows = ", ".join(["(%s, %s, 1)"] * len(keys))
    # Built from constants only (quoted names, one placeholder group per key); every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({key_}, {start_}, {count_}) VALUES {rows} "  # noqa: S608  # nosec B608 - constant names, values are parameters
        f"ON CONFLICT ({key_}, {start_}) DO UPDATE SET {count_} = {table}.{count_} + 1 "
        f"RETURNING {table}.{key_}, {table}.{count_} + COALESCE((SELECT SUM(other.{count_}) FROM {table} other "
        f"WHERE other.{key_} = {table}.{key_} AND other.{start_} > %s AND other.{start_} <= %s "
        f"AND other.{start_} <> {table}.{start_}), 0)"
    )
    adapt = ops.adapt_datetimefield_value
    params: list = []
    for counted in keys:
        params += [counted, adapt(start)]
    params += [adapt(now - window), adapt(now)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {counted: int(total) for counted, total in cursor.fetchall()}


def hit(bucket: str, identity: str, *, window: dt.timedelta) -> int:
    """Count one event for `identity` in `bucket`; return the events of the last `window`, this one included."""
    return hit_many([(bucket, identity)], window=window)[0]


def hit_many(events: list[tuple[str, str]], *, window: dt.timedelta) -> list[int]:
    """Count one event for each (bucket, identity), in one statement; return the events of the last `window` of
    each, this one included, in the order given. The same (bucket, identity) given twice counts once."""
    now = timezone.now()
    keys = [_key(bucket, identity) for bucket, identity in events]
    totals = _count_and_sum(list(dict.fromkeys(keys)), now, window)
    if secrets.randbelow(500) == 0:  # keep the table small without a scheduler (one request in 500 prunes)
        prune()
    return [totals[key] for key in keys]


def count(bucket: str, identity: str, *, window: dt.timedelta) -> int:
    """The events of the last `window` for `identity`, without counting one."""
    return _sum(_key(bucket, identity), timezone.now(), window)


def lock(bucket: str, identity: str, *, duration: dt.timedelta) -> dt.datetime:
    """Lock `identity` for `duration` from now; return when the lock ends."""
    now = timezone.now()
    with transaction.atomic():
        RateCounter.objects.get_or_create(key=_key(bucket + ".lock", identity), window_start=now, defaults={"count": 1})
    return now + duration


def locked_until(bucket: str, identity: str, *, duration: dt.timedelta) -> dt.datetime | None:
    """When the latest lock of `identity` ends, if it has not ended yet."""
    now = timezone.now()
    started = (
        RateCounter.objects.filter(key=_key(bucket + ".lock", identity), window_start__gt=now - duration)
        .order_by("-window_start")
        .values_list("window_start", flat=True)
        .first()
    )
    return started + duration if started else None


def prune(older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Forget counts and locks older than the longest window (an hour) and lock (PERISAI_PIN_LOCK_MINUTES)."""
    deleted, _ = RateCounter.objects.filter(window_start__lt=timezone.now() - older_than).delete()
    return deleted
