"""Security events: probing and refusals that change nothing but should leave a trace (issue 15) - a signed-in
person's "not found" (the answer for another office's case as much as for a typo), a failed CSRF check, a 429.

They go into the audit trail, whose chain makes them tamper-evident, at a bounded rate: per source (the account,
or the address when nobody is signed in) and per kind overall, so a flood cannot fill the disk or queue every
request on the audit chain's lock. What goes over the bound is counted, not stored
(`ratelimit` keeps the count for a day).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction

from perisai.audit.choices import AuditAction
from perisai.audit.context import client_ip
from perisai.audit.services import audit_record
from perisai.core import ratelimit

logger = logging.getLogger(__name__)
WINDOW = dt.timedelta(minutes=10)
PER_SOURCE = 30  # events of one kind from one account or address per WINDOW
OVERALL = 600  # events of one kind per WINDOW, from everyone


def security_event(request, action: AuditAction, **extra) -> bool:
    """Record one event unless its source or its kind is over the bound; True if it was recorded."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    source = f"user:{user.pk}" if signed_in else f"address:{ratelimit.address_key(client_ip(request))}"
    if ratelimit.hit(f"security.{action}", source, window=WINDOW) > PER_SOURCE:
        return False
    if ratelimit.hit(f"security.{action}.all", "all", window=WINDOW) > OVERALL:
        return False
    with transaction.atomic():
        audit_record(actor=user if signed_in else None, action=action, extra=extra)
    return True


def record_safely(request, action: AuditAction, **extra) -> None:
    """For a response already decided: a failure to record must never turn it into a 500."""
    try:
        security_event(request, action, **extra)
    except Exception:  # the database may be what is failing
        logger.exception("security event %s not recorded", action)


class SecurityEventsMiddleware:
    """A 429 from anywhere, and a signed-in person's 404 (probing ids of cases, referrals, files), become security
    events. Anonymous 404s are the web's background noise (crawlers) and are not kept."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.static = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 429:
            record_safely(request, AuditAction.SECURITY_RATE_LIMITED, path=request.path[:200])
        elif response.status_code == 404 and not request.path.startswith(self.static):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                record_safely(request, AuditAction.SECURITY_NOT_FOUND, path=request.path[:200])
        return response
