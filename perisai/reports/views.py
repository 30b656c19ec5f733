"""Staff pages for reports: the inbox, a report, first contact, messages, and staff intake."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from perisai.core import selectors as core_selectors
from perisai.reports import selectors, services, similar
from perisai.reports.forms import StaffReportForm
from perisai.reports.policies import report_policy
from perisai.reports.staff_forms import FirstContactForm, StaffMessageForm


@require_safe
def inbox(request):
    if not report_policy.can(request.user, "view"):
        raise Http404
    page = selectors.report_inbox_page(selectors.report_inbox(actor=request.user), request.GET.get("halaman"))
    reports = list(page.object_list)
    hints = similar.inbox_hints(reports, selectors.report_inbox_neighbours(actor=request.user, page=reports))
    for report in reports:
        report.similar = hints.get(report.pk, [])
    return render(request, "reports/staff/inbox.html", {"reports": reports, "page": page, "now": timezone.now()})


def _detail(request, report, *, contact_form=None, message_form=None, status=200):
    context = {
        "report": report,
        "attachments": core_selectors.attachments_of(report),
        "messages_thread": report.messages.select_related("author"),
        "contact_form": contact_form or FirstContactForm(),
        "message_form": message_form or StaffMessageForm(),
        "can_record_first_contact": report_policy.can(request.user, "record_first_contact", report),
        "can_message": report_policy.can(request.user, "message", report),
        "can_triage": report_policy.can(request.user, "triage", report),
    }
    return render(request, "reports/staff/detail.html", context, status=status)


@require_safe
def detail(request, public_id):
    report = selectors.report_get(actor=request.user, public_id=public_id)
    services.report_mark_in_review(actor=request.user, report=report)
    return _detail(request, report)


@require_POST
def first_contact(request, public_id):
    report = selectors.report_get(actor=request.user, public_id=public_id)
    form = FirstContactForm(request.POST)
    if not form.is_valid() or not report_policy.can(request.user, "record_first_contact", report):
        return _detail(request, report, contact_form=form, status=400)
    services.report_record_first_contact(actor=request.user, report=report, note=form.cleaned_data["note"])
    messages.success(request, _("Kontak pertama dicatat."))
    return redirect("reports:detail", public_id=report.public_id)


@require_POST
def send_message(request, public_id):
    report = selectors.report_get(actor=request.user, public_id=public_id)
    form = StaffMessageForm(request.POST)
    if not form.is_valid():
        return _detail(request, report, message_form=form, status=400)
    services.report_message_from_staff(actor=request.user, report=report, body=form.cleaned_data["body"])
    messages.success(request, _("Pesan terkirim. Pelapor membacanya di halaman Cek laporan."))
    return redirect("reports:detail", public_id=report.public_id)


@require_http_methods(["GET", "POST"])
def staff_intake(request):
    """Walk-in, phone, WhatsApp, letter, SAPA 129 hand-over...: the same model and rules as the public form."""
    if not report_policy.can(request.user, "create"):
        raise Http404
    if request.method == "GET":
        form = StaffReportForm(
            initial={"token": uuid.uuid4(), "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
        )
        return render(request, "reports/staff/intake.html", {"form": form})
    form = StaffReportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "reports/staff/intake.html", {"form": form}, status=400)
    submission = services.report_submit(
        actor=request.user,
        fields=form.report_fields(),
        token=str(form.cleaned_data["token"]),
        channel=form.cleaned_data["channel"],
        received_at=form.cleaned_data["received_at"],
        entered_after_fact=form.cleaned_data["entered_after_fact"],
        source_agency=None,
        uploads=form.cleaned_data["attachments"],
    )
    for reason in submission.rejected_files:
        messages.warning(request, reason)
    if submission.pin is None:  # sent twice (a double tap, Back and send): the first one holds the PIN
        messages.info(
            request, _("Laporan %(code)s sudah tercatat sebelumnya.") % {"code": submission.report.tracking_code}
        )
    else:
        messages.success(
            request,
            _("Laporan %(code)s dicatat. PIN untuk pelapor: %(pin)s")
            % {"code": submission.report.tracking_code, "pin": submission.pin},
        )
    return redirect("reports:detail", public_id=submission.report.public_id)
