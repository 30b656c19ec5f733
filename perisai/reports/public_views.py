"""The public reporting channel: /lapor/ and /lapor/cek/. Works without JavaScript and without an account."""

from __future__ import annotations

import datetime as dt
import uuid

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from perisai.audit.context import client_ip
from perisai.core import outage
from perisai.core import selectors as core_selectors
from perisai.reports import altcha_check, antiabuse, deadlines, selectors, services
from perisai.reports.forms import ReportForm
from perisai.reports.public_forms import CheckForm, ReporterMessageForm

ACCESS_SESSION_KEY = "perisai_report_access"
ACCESS_MINUTES = 30
# Set on the request once the report is committed: from then on, whatever fails, the reporter gets the receipt.
SUBMISSION_ATTR = "_perisai_report_submission"
# Set once a message from the reporter is committed: a failure after it (saving the session) must not say "not sent".
MESSAGE_SENT_ATTR = "_perisai_reporter_message_sent"


def _outage_page(request):
    """/lapor/ while the database or the disk fails (core.outage): never a bare 500, never the words lost.

    Before the commit, the form comes back filled in exactly as it was sent, same token included (so a report that
    did commit after all is found again, not made twice), saying that it was NOT sent and to press Kirim again.
    Files cannot be put back into a file field: the page asks for them again. After the commit, the receipt.
    Runs with an anonymous user and renders nothing that needs the database."""
    submission = getattr(request, SUBMISSION_ATTR, None)
    if submission is not None:
        return _receipt(request, submission)
    if request.method != "POST":
        form = ReportForm(initial={"token": uuid.uuid4()})
        return render(request, "reports/public/form.html", {"form": form, "outage": True}, status=503)
    form = ReportForm(initial=_as_typed(ReportForm(), request))
    context = {"form": form, "outage": True, "not_sent": True, "files_dropped": bool(request.FILES)}
    return render(request, "reports/public/form.html", context, status=503)


def _as_typed(form, request) -> dict:
    """Every field's value as the browser sent it, in the shape its widget renders (lists for checkboxes), to
    show an unbound form again: a bound one would be validated, and validating reads the regions' table."""
    typed = {
        name: field.widget.value_from_datadict(request.POST, request.FILES, form.add_prefix(name))
        for name, field in form.fields.items()
        if not isinstance(field.widget, forms.FileInput)
    }
    try:
        typed["token"] = uuid.UUID(str(typed.get("token")))
    except ValueError:
        typed["token"] = uuid.uuid4()
    return typed


# CSRF is off for this one form on purpose: a reporter has no account or session to ride on, a forged
# report passes the same anti-abuse checks as a typed one, and a stale CSRF cookie on a flaky phone must
# never cost a child's report ("nothing is lost").
@csrf_exempt
@login_not_required
@require_http_methods(["GET", "POST"])
@outage.keeps_input(_outage_page)
def report_form(request):
    if request.method == "GET":
        form = ReportForm(initial={"token": uuid.uuid4()})
        # The fields of a new, empty form are the same for every visitor of one language: rendered once per process
        # (the fragment cache). Only here: any other page of this template shows something typed, an error, or an
        # outage's stand-in region lists, and must never be cached for, or served to, anyone else.
        context = {"form": form, "cache_fields": form.regions_read}
        response = render(request, "reports/public/form.html", context)
        antiabuse.ensure_device_cookie(request, response)
        # no-store: a kept copy would hold the form's token, and whoever has the token could ask for the receipt
        # again (issue 15). "Back" from the receipt therefore loads a fresh form; sending the same answers from
        # the same device again within RESEND_WINDOW finds the first report instead of making another.
        add_never_cache_headers(response)
        return response
    response = _submit(request)
    add_never_cache_headers(response)  # the receipt shows the PIN: never stored
    return response


def _submit(request):
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "reports/public/form.html", {"form": form}, status=400)
    by_address, by_device = antiabuse.count_submission(request)
    if antiabuse.is_flood(by_address, by_device):
        return render(request, "reports/public/form.html", {"form": form, "flooded": True}, status=429)
    submission = services.report_submit(
        actor=None,
        fields=form.report_fields(),
        token=str(form.cleaned_data["token"]),
        uploads=form.cleaned_data["attachments"],
        review_reasons=antiabuse.review_reasons(request, form, by_address, by_device),
        device=antiabuse.device_id(request),
    )
    setattr(request, SUBMISSION_ATTR, submission)
    return _receipt(request, submission)


def _receipt(request, submission):
    report = submission.report
    promise = deadlines.public_promise(report.received_at, urgent=report.urgent)
    context = {"submission": submission, "report": report, "pin": submission.pin, "promise": promise}
    return render(request, "reports/public/receipt.html", context, status=201 if submission.created else 200)


@login_not_required
@never_cache
@require_safe
def altcha_challenge(request):
    return JsonResponse(altcha_check.new_challenge())


def _check_outage_page(request):
    """/lapor/cek/ while the database fails: the code comes back as typed (the PIN is asked again, as a password
    field never shows one), saying that nothing was checked."""
    form = CheckForm(initial={"code": request.POST.get("code", "")[:20]} if request.method == "POST" else None)
    return render(request, "reports/public/check.html", {"form": form, "outage": True}, status=503)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
@outage.keeps_input(_check_outage_page)
def check(request):
    """Code + PIN: the reporter's way back to their report. Grants access for a short while in the session."""
    form = CheckForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_check_pin(
                code=form.cleaned_data["code"], pin=form.cleaned_data["pin"], client=client_ip(request) or "unknown"
            )
        except services.PinLocked as locked:
            until = timezone.localtime(locked.until).strftime("%H:%M")
            form.add_error(
                None,
                _(
                    "Terlalu banyak percobaan untuk kode ini. Coba lagi setelah pukul %(time)s. "
                    "Jika anak dalam bahaya, hubungi 129 atau 110."
                )
                % {"time": until},
            )
        except services.PinRejected:
            form.add_error(None, _("Kode atau PIN tidak cocok. Periksa kembali lalu coba lagi."))
        else:
            request.session.cycle_key()
            request.session[ACCESS_SESSION_KEY] = {
                "report": str(report.public_id),
                "until": (timezone.now() + dt.timedelta(minutes=ACCESS_MINUTES)).timestamp(),
            }
            return redirect("reports_public:status")
    return render(request, "reports/public/check.html", {"form": form})


def _report_in_session(request):
    access = request.session.get(ACCESS_SESSION_KEY)
    if not access or access.get("until", 0) < timezone.now().timestamp():
        return None
    return selectors.report_for_reporter(public_id=access["report"])


def _status_outage_page(request):
    """/lapor/status/ while the database fails. Which report this browser may see is kept in the session, which is
    in the database too, so nothing of the report can be shown: the message typed comes back, not sent, to send
    again in a minute (issue 16: nothing the reporter typed is lost)."""
    if getattr(request, MESSAGE_SENT_ATTR, False):
        return render(request, "reports/public/status_outage.html", {"sent": True})
    if request.method != "POST":
        return outage.maintenance_page(request)
    form = ReporterMessageForm(initial={"body": request.POST.get("body", "")})
    context = {"form": form, "files_dropped": bool(request.FILES)}
    return render(request, "reports/public/status_outage.html", context, status=503)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
@outage.keeps_input(_status_outage_page)
def status(request):
    report = _report_in_session(request)
    if report is None:
        return redirect("reports_public:check")
    form = ReporterMessageForm(request.POST if request.method == "POST" else None, request.FILES or None)
    rejected = []
    if request.method == "POST" and form.is_valid():
        _message, rejected = services.report_message_from_reporter(
            report=report, body=form.cleaned_data["body"], uploads=form.cleaned_data["attachments"]
        )
        setattr(request, MESSAGE_SENT_ATTR, True)
        if not rejected:
            return redirect("reports_public:status")
        form = ReporterMessageForm()
    context = {
        "progress": selectors.report_progress(report=report),
        "attachment_count": core_selectors.attachments_of(report).count(),
        "form": form,
        "rejected": rejected,
    }
    return render(request, "reports/public/status.html", context)


@login_not_required
@require_http_methods(["POST"])
def leave(request):
    request.session.pop(ACCESS_SESSION_KEY, None)
    return redirect("reports_public:check")
