"""Public landing page, the health probe, and attachment downloads (checked by the owner's policy)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

import perisai
from perisai.audit.choices import AuditAction
from perisai.core import attachments, health, policies, security, selectors


@login_not_required
@require_safe
def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "core/landing.html")


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Everything Perisai needs to take a report and act on it (perisai/core/health.py); 503 names what fails."""
    checks, figures = health.report()
    failing = [name for name, state in checks.items() if state not in (health.OK, health.UNKNOWN)]
    body = {"status": "error" if failing else "ok", "failing": failing, "checks": checks}
    body["version"] = perisai.__version__
    if policies.may_read_server_figures(request):
        body["figures"] = figures
    return JsonResponse(body, status=503 if failing else 200)


@login_not_required
@never_cache
@require_safe
def livez(request: HttpRequest) -> JsonResponse:
    """For a load balancer: this process answers and reaches the database. Nothing else."""
    database = health.database_status()
    return JsonResponse({"status": database}, status=200 if database == health.OK else 503)


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


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the plain 403 page, and a security event (a forged form from another site looks the same
    as a stale one here; the trail lets an administrator see a burst of them)."""
    # A code, not Django's text: the bad-Referer reason quotes the whole URL, query string included.
    kind = "referer" if "referer" in reason.lower() else "origin" if "origin" in reason.lower() else "token"
    security.record_safely(request, AuditAction.SECURITY_CSRF, reason=kind)
    return render(request, "403.html", status=403)
