"""A request id on every request, and one access line per request that names no one.

The id comes from our own proxy when one is trusted (`PERISAI_TRUSTED_PROXIES`; nginx sends its `$request_id`, 32
hex characters) and is made here otherwise. It is bound to every log line written while the request runs, sent
back as `X-Request-ID` (a person reporting a problem can quote it), and tagged on error reports.

The access line gives the URL's *route* (`staf/kasus/<uuid:public_id>/`), never the path, and never the query
string: a search for a child's name travels in the query string. The person is named by their account's number
only, and only when the request had already looked them up: asking here would read the session from the database,
which may be the very thing that is down (core.outage).
"""

from __future__ import annotations

import re
import time
import uuid
import weakref

import sentry_sdk
import structlog
from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils.functional import SimpleLazyObject, empty

logger = structlog.get_logger("perisai.request")

HEADER = "X-Request-ID"
# nginx's $request_id is 32 hex digits; a UUID with dashes is accepted too. Anything else (spaces, quotes, line
# breaks, a kilobyte of text) is replaced by an id of our own.
SAFE_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z-]{15,63}")


def request_id_from(request) -> str:
    offered = request.headers.get(HEADER, "")
    if settings.PERISAI_TRUSTED_PROXIES and SAFE_ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


def known_user_id(request) -> int | None:
    """The signed-in account's number if this request already looked it up, without a query of our own."""
    user = request.__dict__.get("user")
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):
        return None
    try:
        return user.pk if user.is_authenticated else None
    except Exception:  # a half-loaded user during an outage: the line is still written
        return None


def route_of(request) -> str | None:
    match = getattr(request, "resolver_match", None)
    if match is None:  # answered before the URL was resolved (a redirect to HTTPS, a middleware's refusal)
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404:
            return None
    return match.route


class RequestLogMiddleware:
    """First in MIDDLEWARE: it times everything, and every response, whatever answered it, carries the id."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.static = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request):
        request_id = request_id_from(request)
        request.request_id = request_id
        started = time.perf_counter()
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        if sentry_sdk.is_initialized():
            _tag_error_reports(request, request_id)
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            if not request.path.startswith(self.static):
                logger.info(
                    "request",
                    method=request.method,
                    route=route_of(request),
                    status=response.status_code,
                    duration_ms=round((time.perf_counter() - started) * 1000, 1),
                    user_id=known_user_id(request),
                )
            return response
        finally:
            structlog.contextvars.clear_contextvars()


def _tag_error_reports(request, request_id: str) -> None:
    """Sentry's Django integration gives each request a scope of its own; an error reported from it carries the
    request id and, by the same rule as the access line, the account's number and nothing else about the person
    (the SDK itself collects no user details, see core.error_reporting)."""
    scope = sentry_sdk.get_isolation_scope()
    scope.set_tag("request_id", request_id)
    request_ref = weakref.ref(request)

    def add_user_id(event, _hint):
        live = request_ref()
        user_id = known_user_id(live) if live is not None else None
        if user_id is not None:
            event["user"] = {"id": str(user_id)}
        return event

    scope.add_event_processor(add_user_id)
