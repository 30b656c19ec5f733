"""A small rate limiter in the database: no cache server is needed, and every worker shares it."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from perisai.core import crypto
from perisai.core.models import RateCounter


def hit(bucket: str, identity: str, *, window: dt.timedelta) -> int:
    """Count one event for `identity` in `bucket` and return the count in the current window.

    The identity (an address, a device id, a tracking code) is hashed with the blind-index key, so the
    table never holds an address in clear.
    """
    key = crypto.blind_index(identity, purpose=f"ratelimit.{bucket}")
    seconds = int(window.total_seconds())
    now = timezone.now()
    start = dt.datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, tz=dt.UTC)
    for _attempt in range(3):
        updated = RateCounter.objects.filter(key=key, window_start=start).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=key, window_start=start, count=1)
            except IntegrityError:
                continue  # another request created the window at the same moment: count again
        return RateCounter.objects.get(key=key, window_start=start).count
    raise RuntimeError("rate counter kept conflicting")


def count(bucket: str, identity: str, *, window: dt.timedelta) -> int:
    key = crypto.blind_index(identity, purpose=f"ratelimit.{bucket}")
    seconds = int(window.total_seconds())
    start = dt.datetime.fromtimestamp(int(timezone.now().timestamp()) // seconds * seconds, tz=dt.UTC)
    counter = RateCounter.objects.filter(key=key, window_start=start).first()
    return counter.count if counter else 0


def prune(older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    deleted, _ = RateCounter.objects.filter(window_start__lt=timezone.now() - older_than).delete()
    return deleted


def window_end(window: dt.timedelta) -> dt.datetime:
    seconds = int(window.total_seconds())
    return dt.datetime.fromtimestamp((int(timezone.now().timestamp()) // seconds + 1) * seconds, tz=dt.UTC)
