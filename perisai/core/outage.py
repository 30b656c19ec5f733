"""When the database or the disk fails: a clear 503 instead of a bare 500, and forms that keep what was typed.

A PostgreSQL restart (4.7 s, issue 16) or a full disk fails every request that touches the database or writes a
file. What people get instead of Django's bare 500:

- a view decorated with `keeps_input(fallback)` (the public report form) answers with its fallback: the same form,
  filled in as it was typed, saying plainly that it was NOT sent;
- every other page answers with the maintenance page (templates/503.html) and `Retry-After`. That is
  `server_error`, Django's handler500, rather than a middleware: most database work happens in middleware (the
  session, `request.user`) before any view runs, and Django turns a middleware's exception into a response before
  an outer middleware could see it. A decorated view whose middleware failed gets its fallback from here too, and
  from `bad_request` (handler400) when the session cannot be saved after the view (Django's SessionInterrupted).

Neither page may need the database to render, or it would fail the same way: the maintenance page is rendered
without the request (no context processors), and before a fallback runs the request's user becomes anonymous and
its session is set aside, so neither the session nor the notices count is read, and the session is not saved.

Each outage is logged once with the exception's class only: its message can quote SQL, a path or a value. Other
errors are not touched and reach Django's usual 500 handling.
"""

from __future__ import annotations

import errno
import logging
import sys
from collections.abc import Callable
from functools import wraps

import sentry_sdk
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers
from django.utils.csp import CSP, build_policy
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 60
# The disk (or the user's quota) is full, or it was remounted read-only after an error.
DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EROFS, getattr(errno, "EDQUOT", errno.ENOSPC)})
# OperationalError: connection refused or dropped ("terminating connection due to administrator command"), the
# server starting up or shutting down, "database or disk is full", "database is locked" beyond the busy timeout.
# InterfaceError: the connection object is already closed. Not IntegrityError, DataError or ProgrammingError:
# those are bugs, and retrying would not help.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)

Fallback = Callable[[HttpRequest], HttpResponse]


def is_outage(error: BaseException | None) -> bool:
    """The database is unavailable or the disk is full: the request may well succeed in a minute. An exception
    raised while handling one counts too (Django turns a failed session save into SessionInterrupted)."""
    for _depth in range(5):
        if error is None:
            return False
        if isinstance(error, DATABASE_UNAVAILABLE):
            return True
        if isinstance(error, OSError) and error.errno in DISK_ERRNOS:
            return True
        error = error.__cause__ or error.__context__
    return False


def describe(error: BaseException) -> dict[str, str]:
    """What may be logged about an outage: the class, and for a disk error its errno name. Never the message."""
    facts = {"error": f"{type(error).__module__}.{type(error).__qualname__}"}
    if isinstance(error, OSError) and error.errno is not None:
        facts["errno"] = errno.errorcode.get(error.errno, str(error.errno))
    return facts


def keeps_input(fallback: Fallback):
    """Decorator for a view that can show its page again from the request alone when the database or the disk
    fails, in the view or in the middleware before it (see `server_error`).

    `fallback(request)` must not touch the database: `request.user` is anonymous by then, and anything the view
    had already committed it left on the request for the fallback to find (the report form keeps its receipt)."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except Exception as error:
                if not is_outage(error):
                    raise
                # Handled here, so Django's got_request_exception never fires: report it to Sentry (scrubbed by
                # core.error_reporting) like the outages that reach server_error.
                sentry_sdk.capture_exception(error)
                return respond(request, error, fallback=fallback)

        wrapped.outage_fallback = fallback
        return wrapped

    return decorate


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: an outage becomes the maintenance page (or the view's own fallback), anything else the plain
    500 page. Django calls it inside its `except`, so the exception is at hand."""
    error = sys.exception()
    if error is None or not is_outage(error):
        return defaults.server_error(request)
    return respond(request, error, fallback=_fallback_of(request))


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: the session could not be saved after the view had answered (Django's SessionInterrupted, a 400)
    because the database went away. The view's work may be committed, so its fallback (the report form's receipt)
    is shown rather than an error about the request."""
    if exception is not None and is_outage(exception):
        return respond(request, exception, fallback=_fallback_of(request))
    return defaults.bad_request(request, exception)


def respond(request: HttpRequest, error: BaseException, *, fallback: Fallback | None = None) -> HttpResponse:
    """The answer to an outage: the fallback's page when there is one and it renders, else the maintenance page.
    Never stored by a browser or proxy; 503s say when to try again."""
    logger.warning("outage", extra={"answer": "fallback" if fallback else "maintenance", **describe(error)})
    request.user = AnonymousUser()  # reading the real one needs the session, which is in the database
    # And the session is left alone on the way out: SessionMiddleware skips a request whose session has no
    # `accessed`; with the real one it would read it again (for the cookie's expiry) and fail a second time.
    request.session = None
    response = None
    if fallback is not None:
        try:
            response = fallback(request)
        except Exception as again:  # the fallback is the last chance to keep the words; never a bare 500
            logger.warning("outage fallback failed", extra=describe(again))
    if response is None:
        response = maintenance_page(request)
    if response.status_code == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    if settings.SECURE_CSP:
        # A response made outside the CSP middleware (a middleware failed before it) still gets the site's policy.
        response.headers.setdefault(str(CSP.HEADER_ENFORCE), build_policy(settings.SECURE_CSP))
    response._has_been_logged = True  # the line above is the log; Django would add the traceback as an error
    return response


def maintenance_page(request: HttpRequest) -> HttpResponse:
    if not request.accepts("text/html"):
        return JsonResponse(
            {"detail": _("Perisai sedang mengalami gangguan. Coba lagi beberapa menit lagi.")}, status=503
        )
    # No request: no context processors, so nothing reads the session, the user or the messages.
    return HttpResponse(loader.render_to_string("503.html"), status=503)


def _fallback_of(request: HttpRequest) -> Fallback | None:
    match = getattr(request, "resolver_match", None)
    if match is None:  # the failure came before URL resolution (the session, in middleware)
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404:
            return None
    return getattr(match.func, "outage_fallback", None)
