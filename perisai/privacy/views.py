"""Pages of the data-protection registers (/staf/pdp/)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from perisai.core import selectors as core_selectors
from perisai.core.forms import AttachmentForm
from perisai.privacy import selectors, services
from perisai.privacy.choices import SUBJECT_REQUEST_TRANSITIONS
from perisai.privacy.forms import BreachForm, BreachNotificationForm, SubjectRequestForm, SubjectRequestTransitionForm
from perisai.privacy.policies import breach_policy, subject_request_policy


def _require(policy, actor, action):
    if not policy.can(actor, action):
        raise Http404


@require_safe
def subject_request_list(request):
    _require(subject_request_policy, request.user, "view")
    requests = selectors.subject_request_list(actor=request.user)
    return render(request, "privacy/subject_request_list.html", {"requests": requests})


@require_http_methods(["GET", "POST"])
def subject_request_create(request):
    _require(subject_request_policy, request.user, "create")
    form = SubjectRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        created = services.subject_request_create(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Permintaan dicatat. Batas waktu jawaban: 3×24 jam."))
        return redirect("privacy:subject_request_detail", public_id=created.public_id)
    return render(request, "privacy/subject_request_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def subject_request_detail(request, public_id):
    item = selectors.subject_request_get(actor=request.user, public_id=public_id)
    allowed = sorted(SUBJECT_REQUEST_TRANSITIONS[item.status])
    form = SubjectRequestTransitionForm(request.POST if request.method == "POST" else None, allowed=allowed)
    if request.method == "POST" and form.is_valid():
        services.subject_request_transition(
            actor=request.user, request=item, to=form.cleaned_data["to"], outcome=form.cleaned_data["outcome"]
        )
        messages.success(request, _("Status permintaan diperbarui."))
        return redirect("privacy:subject_request_detail", public_id=item.public_id)
    return render(request, "privacy/subject_request_detail.html", _detail_context(item, form if allowed else None))


def _detail_context(item, form, upload_form=None):
    return {
        "item": item,
        "form": form,
        "attachments": core_selectors.attachments_of(item),
        "upload_form": upload_form or AttachmentForm(),
    }


@require_POST
def subject_request_attach(request, public_id):
    item = selectors.subject_request_get(actor=request.user, public_id=public_id)
    upload_form = AttachmentForm(request.POST, request.FILES)
    if upload_form.is_valid() and upload_form.store(actor=request.user, owner=item):
        messages.success(request, _("Lampiran disimpan (terenkripsi)."))
        return redirect("privacy:subject_request_detail", public_id=item.public_id)
    allowed = sorted(SUBJECT_REQUEST_TRANSITIONS[item.status])
    form = SubjectRequestTransitionForm(allowed=allowed) if allowed else None
    context = _detail_context(item, form, upload_form)
    return render(request, "privacy/subject_request_detail.html", context, status=400)


@require_safe
def breach_list(request):
    _require(breach_policy, request.user, "view")
    return render(request, "privacy/breach_list.html", {"breaches": selectors.breach_list(actor=request.user)})


@require_http_methods(["GET", "POST"])
def breach_create(request):
    _require(breach_policy, request.user, "create")
    form = BreachForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        breach = services.breach_create(actor=request.user, **form.cleaned_data)
        messages.warning(request, _("Insiden dicatat. Beri tahu lembaga PDP dan subjek data dalam 3×24 jam."))
        return redirect("privacy:breach_detail", public_id=breach.public_id)
    return render(request, "privacy/breach_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def breach_detail(request, public_id):
    breach = selectors.breach_get(actor=request.user, public_id=public_id)
    form = BreachNotificationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.breach_record_notification(
            actor=request.user,
            breach=breach,
            authority_at=form.cleaned_data["authority_notified_at"],
            subjects_at=form.cleaned_data["subjects_notified_at"],
            measures=form.cleaned_data["measures"],
        )
        messages.success(request, _("Pemberitahuan dicatat."))
        return redirect("privacy:breach_detail", public_id=breach.public_id)
    return render(request, "privacy/breach_detail.html", {"breach": breach, "form": form})


@require_safe
def breach_letter(request, public_id):
    """The written notice Pasal 46(2) requires: what data, when and how, and what is being done."""
    breach = selectors.breach_get(actor=request.user, public_id=public_id)
    return render(request, "privacy/breach_letter.html", {"breach": breach})
