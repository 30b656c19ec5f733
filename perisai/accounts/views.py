"""A staff member's own account actions."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from perisai.accounts import policies, selectors, services
from perisai.audit.choices import AuditAction
from perisai.audit.selectors import BURST, security_overview


@require_POST
def end_all_sessions(request):
    """For a lost or shared phone: every session of this account ends, this one included."""
    services.user_end_all_sessions(actor=request.user, user=request.user)
    logout(request)
    messages.success(request, _("Anda telah keluar dari semua perangkat. Silakan masuk lagi."))
    return redirect("account_login")


PERIODS = {"1": 1, "7": 7, "30": 30}


@require_safe
def security(request):
    """Administrators: probing and refusals from the audit trail - bursts of "not found" per account, locks,
    refused requests, wrong PINs (issue 15). Anyone else: not found."""
    if not policies.is_administrator(request.user):
        raise Http404
    days = PERIODS.get(request.GET.get("hari", "1"), 1)
    overview = security_overview(since=timezone.now() - dt.timedelta(days=days))
    names = selectors.users_by_id([row["actor_id"] for row in overview.not_found_by_account])
    for row in overview.not_found_by_account:
        row["user"] = names.get(row["actor_id"])
    for row in overview.refusals:
        row["label"] = AuditAction(row["action"]).label
    context = {"overview": overview, "days": days, "periods": PERIODS.values(), "burst": BURST}
    return render(request, "accounts/security.html", context)
