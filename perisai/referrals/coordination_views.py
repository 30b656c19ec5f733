"""Joint outreach operations, coordination meetings, and partners handing a child over to the office."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from perisai.accounts.choices import AgencyKind
from perisai.cases.policies import case_policy
from perisai.referrals import selectors, services
from perisai.referrals.forms import ActionItemForm, ChildForm, ItemDoneForm, MeetingForm, OperationForm
from perisai.referrals.models import MeetingActionItem, OutreachChild
from perisai.referrals.policies import meeting_policy, outreach_policy
from perisai.reports import services as report_services
from perisai.reports.choices import Channel
from perisai.reports.forms import ReportForm
from perisai.reports.policies import report_policy

# --- Outreach operations -----------------------------------------------------------------------------------


@require_safe
def operation_list(request):
    if not outreach_policy.can(request.user, "list"):
        raise Http404
    context = {
        "operations": selectors.operation_list(actor=request.user)[:200],
        "can_create": outreach_policy.can(request.user, "create"),
    }
    return render(request, "referrals/operation_list.html", context)


@require_http_methods(["GET", "POST"])
def operation_create(request):
    if not outreach_policy.can(request.user, "create"):
        raise Http404
    form = OperationForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        operation = services.outreach_record(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Operasi dicatat. Tambahkan anak yang ditemui."))
        return redirect("referrals:operation_detail", public_id=operation.public_id)
    context = {
        "form": form,
        "heading": _("Catat operasi penjangkauan"),
        "back_url": reverse("referrals:operation_list"),
        "back_label": _("Operasi penjangkauan"),
    }
    return render(request, "referrals/_record_form.html", context, status=400 if form.errors else 200)


def _operation_page(request, operation, child_form=None, status=200):
    # Which case a child became is shown only to those who may open that case (a restricted case stays unseen).
    visible = set(case_policy.visible_to(request.user).values_list("pk", flat=True))
    children = [
        (child, child.report.case if child.report and child.report.case_id in visible else None)
        for child in operation.children.select_related("report__case")
    ]
    context = {
        "operation": operation,
        "children": children,
        "child_form": child_form or ChildForm(),
        "can_add": outreach_policy.can(request.user, "add_child", operation),
        "can_make_report": outreach_policy.can(request.user, "make_report", operation),
    }
    return render(request, "referrals/operation_detail.html", context, status=status)


@require_safe
def operation_detail(request, public_id):
    return _operation_page(request, selectors.operation_get(actor=request.user, public_id=public_id))


@require_POST
def operation_add_child(request, public_id):
    operation = selectors.operation_get(actor=request.user, public_id=public_id)
    if not outreach_policy.can(request.user, "add_child", operation):
        raise Http404
    form = ChildForm(request.POST)
    if not form.is_valid():
        return _operation_page(request, operation, child_form=form, status=400)
    services.outreach_child_add(actor=request.user, operation=operation, **form.cleaned_data)
    return redirect("referrals:operation_detail", public_id=operation.public_id)


@require_POST
def operation_child_report(request, public_id, child_id):
    operation = selectors.operation_get(actor=request.user, public_id=public_id)
    child = get_object_or_404(OutreachChild, operation=operation, public_id=child_id)
    report = services.outreach_child_to_report(actor=request.user, child=child)
    messages.success(request, _("Laporan %(code)s dibuat di kotak masuk.") % {"code": report.tracking_code})
    return redirect("referrals:operation_detail", public_id=operation.public_id)


# --- Coordination meetings ---------------------------------------------------------------------------------


@require_safe
def meeting_list(request):
    if not meeting_policy.can(request.user, "list"):
        raise Http404
    context = {
        "meetings": selectors.meeting_list(actor=request.user)[:200],
        "can_create": meeting_policy.can(request.user, "create"),
    }
    return render(request, "referrals/meeting_list.html", context)


@require_http_methods(["GET", "POST"])
def meeting_create(request):
    if not meeting_policy.can(request.user, "create"):
        raise Http404
    form = MeetingForm(request.POST or None, actor=request.user, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting = services.meeting_record(
            actor=request.user,
            held_on=data["held_on"],
            title=data["title"],
            agencies=data["agencies"],
            cases=data["case_numbers"],
            notes=data["notes"],
        )
        return redirect("referrals:meeting_detail", public_id=meeting.public_id)
    context = {
        "form": form,
        "heading": _("Catat rapat koordinasi"),
        "back_url": reverse("referrals:meeting_list"),
        "back_label": _("Rapat koordinasi"),
    }
    return render(request, "referrals/_record_form.html", context, status=400 if form.errors else 200)


def _meeting_page(request, meeting, item_form=None, status=200):
    items = [
        (item, meeting_policy.can(request.user, "complete_item", item))
        for item in meeting.action_items.select_related("agency", "done_by")
    ]
    context = {
        "meeting": meeting,
        "items": items,
        "cases": meeting.cases.order_by("registration_number"),
        "can_add_item": meeting_policy.can(request.user, "add_item", meeting),
        "item_form": item_form or ActionItemForm(meeting=meeting),
        "done_form": ItemDoneForm(),
    }
    return render(request, "referrals/meeting_detail.html", context, status=status)


@require_safe
def meeting_detail(request, public_id):
    return _meeting_page(request, selectors.meeting_get(actor=request.user, public_id=public_id))


@require_POST
def meeting_add_item(request, public_id):
    meeting = selectors.meeting_get(actor=request.user, public_id=public_id)
    if not meeting_policy.can(request.user, "add_item", meeting):
        raise Http404
    form = ActionItemForm(request.POST, meeting=meeting)
    if not form.is_valid():
        return _meeting_page(request, meeting, item_form=form, status=400)
    services.meeting_item_add(actor=request.user, meeting=meeting, **form.cleaned_data)
    return redirect("referrals:meeting_detail", public_id=meeting.public_id)


@require_POST
def meeting_item_done(request, public_id, item_id):
    meeting = selectors.meeting_get(actor=request.user, public_id=public_id)
    item = get_object_or_404(MeetingActionItem, meeting=meeting, public_id=item_id)
    form = ItemDoneForm(request.POST)
    form.is_valid()
    services.meeting_item_complete(actor=request.user, item=item, note=form.cleaned_data.get("note", ""))
    return redirect("referrals:meeting_detail", public_id=meeting.public_id)


# --- Partners hand a child over to the office --------------------------------------------------------------


class PartnerReferralForm(ReportForm):
    """The public form's fields and rules (as staff intake), without the channel and time, which are fixed."""


CHANNEL_OF_AGENCY = {
    AgencyKind.POLICE: Channel.POLICE,
    AgencyKind.EDUCATION: Channel.SCHOOL,
    AgencyKind.HEALTH: Channel.HEALTH,
    AgencyKind.SATPOL_PP: Channel.OUTREACH,
    AgencyKind.SOCIAL: Channel.OUTREACH,
}


@require_http_methods(["GET", "POST"])
def refer_to_office(request):
    """Same form and rules as the office's own intake; the report lands in the inbox with this agency on it."""
    if not report_policy.can(request.user, "refer_in"):
        raise Http404
    # The channel follows from the agency and the time is now: a partner cannot back- or forward-date a hand-over
    # and so move the office's first-contact deadline.
    channel = CHANNEL_OF_AGENCY.get(request.user.agency.kind, Channel.LETTER)
    if request.method == "GET":
        form = PartnerReferralForm(initial={"token": uuid.uuid4()})
        return render(request, "referrals/refer_in.html", {"form": form})
    form = PartnerReferralForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "referrals/refer_in.html", {"form": form}, status=400)
    try:
        submission = report_services.report_submit(
            actor=request.user,
            fields=form.report_fields(),
            token=str(form.cleaned_data["token"]),
            channel=channel,
            received_at=timezone.now(),
            source_agency=request.user.agency,
            uploads=form.cleaned_data["attachments"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, "referrals/refer_in.html", {"form": form}, status=400)
    for reason in submission.rejected_files:
        messages.warning(request, reason)
    context = {"report": submission.report, "pin": submission.pin}
    return render(request, "referrals/refer_in_done.html", context)
