"""Public landing page, the staff home, and the health probe."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

import perisai
from perisai.accounts.policies import staff_home_flags
from perisai.core import health


@login_not_required
@require_safe
def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "core/landing.html")


@require_safe
def staff_home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/staff_home.html", staff_home_flags(request.user))


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    database = health.database_status()
    body = {
        "status": "ok" if database == "ok" else "error",
        "database": database,
        "migrations": health.migrations_status() if database == "ok" else "unknown",
        "version": perisai.__version__,
    }
    return JsonResponse(body, status=200 if database == "ok" else 503)
