"""Coordination meetings (/staf/rujukan/rapat/): minutes, the cases discussed, action items per agency."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from perisai.meetings import selectors, services
from perisai.meetings.forms import ActionItemForm, ItemDoneForm, MeetingForm
from perisai.meetings.policies import meeting_policy


@require_safe
def meeting_list(request):
    if not meeting_policy.can(request.user, "list"):
        raise Http404
    context = {
        "meetings": selectors.meeting_list(actor=request.user)[:200],
        "can_create": meeting_policy.can(request.user, "create"),
    }
    return render(request, "meetings/meeting_list.html", context)


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
        return redirect("meetings:detail", public_id=meeting.public_id)
    context = {
        "form": form,
        "heading": _("Catat rapat koordinasi"),
        "back_url": reverse("meetings:list"),
        "back_label": _("Rapat koordinasi"),
    }
    return render(request, "core/record_form.html", context, status=400 if form.errors else 200)


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
    return render(request, "meetings/meeting_detail.html", context, status=status)


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
    return redirect("meetings:detail", public_id=meeting.public_id)


@require_POST
def meeting_item_done(request, public_id, item_id):
    meeting = selectors.meeting_get(actor=request.user, public_id=public_id)
    item = selectors.item_of(meeting, item_id)
    form = ItemDoneForm(request.POST)
    form.is_valid()
    services.meeting_item_complete(actor=request.user, item=item, note=form.cleaned_data.get("note", ""))
    return redirect("meetings:detail", public_id=meeting.public_id)
