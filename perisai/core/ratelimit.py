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

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
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


def _add(key: str, start: dt.datetime) -> None:
    for _attempt in range(3):
        if RateCounter.objects.filter(key=key, window_start=start).update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                RateCounter.objects.create(key=key, window_start=start, count=1)
            return
        except IntegrityError:
            continue  # another request created the slice at the same moment: count again
    raise RuntimeError("rate counter kept conflicting")


def hit(bucket: str, identity: str, *, window: dt.timedelta) -> int:
    """Count one event for `identity` in `bucket`; return the events of the last `window`, this one included."""
    now = timezone.now()
    key = _key(bucket, identity)
    _add(key, _slice_start(now, window))
    if secrets.randbelow(500) == 0:  # keep the table small without a scheduler (one request in 500 prunes)
        prune()
    return _sum(key, now, window)


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
