"""Abuse resistance for the public form that never blocks a genuine report.

Failing a check (honeypot filled, proof-of-work missing or wrong, many reports from one address or
device) keeps the report and flags it for a person to review. Only a clear flood is refused, and the
refusal tells the person what to do instead.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from contextlib import nullcontext

from django.conf import settings
from django.db import transaction

from perisai.audit.context import client_ip
from perisai.core import outage, ratelimit
from perisai.reports import altcha_check

logger = logging.getLogger(__name__)

DEVICE_COOKIE = "perisai_perangkat"
HOUR = dt.timedelta(hours=1)


def device_id(request) -> str:
    return request.COOKIES.get(DEVICE_COOKIE) or ""


def ensure_device_cookie(request, response) -> None:
    """A random id per browser, so one phone sending many reports can be told from a busy carrier address."""
    if not device_id(request):
        response.set_cookie(
            DEVICE_COOKIE,
            secrets.token_urlsafe(16),
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )


def count_submission(request) -> tuple[int | None, int | None]:
    """Count this submission per address and per device; returns both counts for the current hour.

    (None, None) when the counters could not be written (the database failing): the limit fails open. The counts
    live in the same database as the reports, so a report that can be stored at all is stored, flagged for a person
    to review ("rate_unchecked"); refusing it because the limiter stumbled would lose a genuine report, and a flood
    cannot get through a database that is down anyway."""
    events = [("reports.address", ratelimit.address_key(client_ip(request)))]
    device = device_id(request)
    if device:
        events.append(("reports.device", device))
    try:
        # One statement, atomic by itself, committed at once (autocommit): no BEGIN and COMMIT around it. Inside an
        # enclosing transaction it gets a savepoint of its own, so that a failure here leaves that one usable.
        with transaction.atomic() if transaction.get_connection().in_atomic_block else nullcontext():
            counts = ratelimit.hit_many(events, window=HOUR)
    except Exception as error:
        if not outage.is_outage(error):
            raise
        logger.warning("report limit not counted", extra=outage.describe(error))
        return None, None
    return counts[0], counts[1] if device else 0


def count_sender(sender_key: str) -> int | None:
    """count_submission for reports that come by WhatsApp or SMS (perisai.channels): the sender's number, as a
    keyed hash, counts as the device (the gateway's address says nothing about the person). None when the counter
    could not be written: the limit fails open, as for the form."""
    try:
        with transaction.atomic():
            return ratelimit.hit("reports.sender", sender_key, window=HOUR)
    except Exception as error:
        if not outage.is_outage(error):
            raise
        logger.warning("report limit not counted", extra=outage.describe(error))
        return None


def sender_would_flood(sender_key: str) -> bool:
    """Whether one more report from this number would pass the hard limit, without counting one: a job that tries a
    draft again every minute must not keep a number refused by its own tries. Fails open, as the limit does."""
    try:
        count = ratelimit.count("reports.sender", sender_key, window=HOUR)
    except Exception as error:
        if not outage.is_outage(error):
            raise
        return False
    return is_flood(count + 1, None)


def rate_reasons(by_address: int | None, by_device: int | None) -> list[str]:
    """The review flags the counts alone give, for every channel."""
    if by_address is None:
        return ["rate_unchecked"]
    return ["rate"] if max(by_address, by_device or 0) > settings.PERISAI_REPORTS_SOFT_LIMIT else []


def is_flood(by_address: int | None, by_device: int | None) -> bool:
    return max(by_address or 0, by_device or 0) > settings.PERISAI_REPORTS_HARD_LIMIT


def review_reasons(request, form, by_address: int | None, by_device: int | None) -> list[str]:
    reasons = []
    if form.cleaned_data.get("website"):
        reasons.append("honeypot")
    if not altcha_check.verified(request.POST.get("altcha", "")):
        reasons.append("proof_of_work")
    return reasons + rate_reasons(by_address, by_device)
