"""The request being served, so services can stamp audit events with IP and browser without every
caller passing the request down."""

from __future__ import annotations

import ipaddress
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class RequestInfo:
    ip_address: str | None
    user_agent: str


_current: ContextVar[RequestInfo | None] = ContextVar("perisai_audit_request", default=None)


def client_ip(request) -> str | None:
    """The client's address. Behind PERISAI_TRUSTED_PROXIES proxies of our own, each appending the address it
    saw to X-Forwarded-For, the client is the entry that many places from the right: entries further left were
    written by the client and can be anything. Without trusted proxies the header is ignored."""
    remote = request.META.get("REMOTE_ADDR") or None
    hops = getattr(settings, "PERISAI_TRUSTED_PROXIES", 0)
    if not hops:
        return remote
    entries = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [entry for entry in entries if entry]
    if len(entries) < hops:
        return remote  # the request did not come through our proxies (or they were misconfigured)
    try:
        return str(ipaddress.ip_address(entries[-hops]))
    except ValueError:
        return remote


def info_from_request(request) -> RequestInfo:
    return RequestInfo(ip_address=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:300])


def current() -> RequestInfo | None:
    return _current.get()


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(info_from_request(request))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
