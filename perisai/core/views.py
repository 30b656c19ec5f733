"""Public landing page, the staff home, and the health probe."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

import perisai
from perisai.accounts.policies import staff_home_flags
from perisai.cases.policies import case_flags
from perisai.core import attachments, health, notifications, selectors
from perisai.privacy.policies import register_flags
from perisai.referrals.policies import referral_flags
from perisai.reports.policies import inbox_flags
from perisai.stats.policies import stats_flags


@login_not_required
@require_safe
def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "core/landing.html")


@require_safe
def staff_home(request: HttpRequest) -> HttpResponse:
    flags = {
        **staff_home_flags(request.user),
        **register_flags(request.user),
        **inbox_flags(request.user),
        **case_flags(request.user),
        **referral_flags(request.user),
        **stats_flags(request.user),
    }
    return render(request, "core/staff_home.html", flags)


@require_http_methods(["GET", "POST"])
def notification_list(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own notices; POST marks them all read."""
    if request.method == "POST":
        notifications.notifications_mark_read(actor=request.user)
        return redirect("core:notifications")
    notices = notifications.notifications_for(request.user)[:100]
    return render(request, "core/notifications.html", {"notices": notices})


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


@never_cache
@require_safe
def attachment_download(request: HttpRequest, public_id) -> HttpResponse:
    """Stream one decrypted attachment to someone allowed to see its owner."""
    return attachment_response(selectors.attachment_get(actor=request.user, public_id=public_id))


def attachment_response(attachment) -> HttpResponse:
    """One decrypted attachment as a download the browser will not render or keep."""
    response = HttpResponse(attachments.read_decrypted(attachment.storage_name), content_type=attachment.content_type)
    # A neutral name: the uploaded name may contain the child's name.
    response["Content-Disposition"] = f'attachment; filename="{attachment.download_name}"'
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
