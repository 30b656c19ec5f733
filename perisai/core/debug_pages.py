"""The product's own error pages under DEBUG, as in production.

`make run` keeps DEBUG on (the demo's fixed second-factor code and live reload need it), and under DEBUG Django
answers a missing page with its English debug page listing every URL of the staff side, and an error with a
traceback showing the request's data: a child's name typed into a form. Demo users must see what the office's
users will see. A developer who wants Django's pages sets PERISAI_DEBUG_PAGES=true; tracebacks go to the console
either way (the django.request logger, as in production).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404
from django.views import defaults

from perisai.core import outage

logger = logging.getLogger("django.request")


def _active() -> bool:
    return settings.DEBUG and not settings.PERISAI_DEBUG_PAGES


def _ours(response: HttpResponse) -> HttpResponse:
    response.perisai_error_page = True
    return response


class ProductErrorPagesMiddleware:
    """Outermost middleware: it sees every answer, including those made from errors deeper down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not _active() or getattr(response, "perisai_error_page", False):
            return response
        if response.status_code == 404 and getattr(request, "resolver_match", None) is None:
            # No URL matched (or a static file is missing): Django's page would list the URL patterns.
            return _ours(defaults.page_not_found(request, Resolver404()))
        if response.status_code == 500:
            # An error raised by a middleware before any view ran, already turned into the traceback page.
            return _ours(defaults.server_error(request))
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not _active():
            return None
        if isinstance(exception, Http404):
            return _ours(defaults.page_not_found(request, exception))
        if isinstance(exception, PermissionDenied):
            return None  # Django answers with 403.html under DEBUG too
        logger.error("Error: %s", request.path, exc_info=exception)
        if isinstance(exception, (BadRequest, SuspiciousOperation)):
            return _ours(outage.bad_request(request, exception))
        # Called inside Django's `except`: server_error finds the exception there (an outage keeps the input).
        return _ours(outage.server_error(request))
