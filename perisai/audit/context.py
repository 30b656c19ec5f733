"""The request being served, so services can stamp audit events with IP and browser without every
caller passing the request down."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class RequestInfo:
    ip_address: str | None
    user_agent: str


_current: ContextVar[RequestInfo | None] = ContextVar("perisai_audit_request", default=None)


def client_ip(request) -> str | None:
    if getattr(settings, "PERISAI_BEHIND_TLS_PROXY", False):
        # The proxy appends the address it saw; anything left of it was sent by the client and can be forged.
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


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
