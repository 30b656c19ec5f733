"""Referral pages (/staf/rujukan/): the office's and the partner's side, scoped by the referral policy.

The partner's page renders the referral's snapshot only (see sharing.py); nothing from the live case."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case as Choose
from django.db.models import Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from perisai.cases import selectors as case_selectors
from perisai.core import selectors as core_selectors
from perisai.core.simfoni import ServiceType, Sex, ViolenceType
from perisai.core.views import attachment_response
from perisai.referrals import selectors, services
from perisai.referrals.choices import MINIMUM_ITEMS, ReferralStatus, Side, UpdateKind
from perisai.referrals.filters import ReferralFilter
from perisai.referrals.forms import ActionForm, CompleteForm, MessageForm, ReasonForm, ReferralForm
from perisai.referrals.policies import referral_policy, side_of


@require_safe
def referral_list(request):
    if not referral_policy.can(request.user, "list"):
        raise Http404
    office = side_of(request.user) == Side.OFFICE
    referrals = selectors.referral_list(actor=request.user).annotate(
        # Unanswered and overdue first: they are what both sides must act on today.
        waiting=Choose(
            When(status=ReferralStatus.SENT, due_at__lt=timezone.now(), then=Value(0)),
            When(status=ReferralStatus.SENT, then=Value(1)),
            When(status=ReferralStatus.ACCEPTED, then=Value(2)),
            default=Value(3),
        )
    )
    filters = ReferralFilter(request.GET, queryset=referrals, show_agency=office)
    page = Paginator(filters.qs.order_by("waiting", "due_at", "-created_at"), 25).get_page(request.GET.get("halaman"))
    query = request.GET.copy()
    query.pop("halaman", None)
    context = {
        "referrals": page,
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "is_office": office,
        "can_see_response_times": referral_policy.can(request.user, "response_times"),
    }
    return render(request, "referrals/list.html", context)


@require_http_methods(["GET", "POST"])
def referral_create(request, case_id):
    case = case_selectors.case_get(actor=request.user, public_id=case_id, opening=False)
    if not referral_policy.can(request.user, "refer", case):
        raise Http404
    documents = list(core_selectors.attachments_of(case))
    can_override = referral_policy.can(request.user, "send_without_basis")
    form = ReferralForm(
        request.POST if request.method == "POST" else None, case=case, documents=documents, can_override=can_override
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referrals = services.referral_send(
                actor=request.user,
                case=case,
                agencies=data["agencies"],
                victim=form.chosen_victim(),
                service_type=data["service_type"],
                urgency=data["urgency"],
                reason=data["reason"],
                items=data["items"],
                document_ids=data.get("documents") or [],
                basis=data["basis"],
                basis_note=data["basis_note"],
                override_reason=data.get("override_reason", ""),
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            count = len(referrals)
            text = ngettext("Rujukan dikirim ke %(count)d instansi.", "Rujukan dikirim ke %(count)d instansi.", count)
            messages.success(request, text % {"count": count})
            return redirect("cases:detail", public_id=case.public_id)
    context = {"case": case, "form": form, "minimum": MINIMUM_ITEMS}
    return render(request, "referrals/create.html", context, status=400 if form.errors else 200)


def _labels(shared: dict) -> dict:
    """Readable labels for the codes in a snapshot (the snapshot itself holds codes and typed text)."""
    children = []
    for child in shared.get("children", []):
        children.append(
            {
                **child,
                "sex_label": Sex(child["sex"]).label if child.get("sex") in Sex.values else "-",
                "violence_labels": [
                    str(ViolenceType(v).label) for v in child.get("violence_types", []) if v in ViolenceType.values
                ],
            }
        )
    return {**shared, "children": children}


def _detail(request, referral, status=200, **forms):
    actor = request.user
    office = side_of(actor) == Side.OFFICE
    can = {action: referral_policy.can(actor, action, referral) for action in ("ask", "answer", "record_action")}
    for target in ReferralStatus.values:
        can[f"to_{target}"] = referral_policy.can(actor, f"to:{target}", referral)
    selectors.referral_opened(actor=actor, referral=referral)
    context = {
        "referral": referral,
        "shared": _labels(selectors.shared_with(actor=actor, referral=referral)),
        "service_label": ServiceType(referral.service_type).label,
        "updates": referral.updates.select_related("author").all(),
        "is_office": office,
        "can": can,
        "minimum": MINIMUM_ITEMS,
        "decline_form": forms.get("decline_form") or ReasonForm(auto_id="decline_%s"),
        "revoke_form": forms.get("revoke_form") or ReasonForm(auto_id="revoke_%s"),
        "message_form": forms.get("message_form") or MessageForm(auto_id="message_%s"),
        "action_form": forms.get("action_form") or ActionForm(auto_id="action_%s"),
        "complete_form": forms.get("complete_form") or CompleteForm(auto_id="complete_%s"),
        "error": forms.get("error"),
        "question_kind": UpdateKind.QUESTION,
        "action_kind": UpdateKind.ACTION,
    }
    return render(request, "referrals/detail.html", context, status=status)


@require_safe
def referral_detail(request, public_id):
    referral = selectors.referral_get(actor=request.user, public_id=public_id)
    return _detail(request, referral)


def _step(request, public_id, run, form_class=None, form_name=None, auto_id=None):
    """Run one POSTed step. A form error or a step no longer possible re-shows the page with what was typed."""
    referral = selectors.referral_get(actor=request.user, public_id=public_id)
    form = form_class(request.POST, auto_id=auto_id) if form_class else None
    if form is not None and not form.is_valid():
        return _detail(request, referral, status=400, **{form_name: form})
    try:
        run(referral, form.cleaned_data if form else {})
    except ValidationError as error:
        if form is None:
            raise
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
        return _detail(request, referral, status=400, **{form_name: form})
    except services.ReferralError as error:
        return _detail(request, referral, status=409, error=str(error))
    return redirect("referrals:detail", public_id=referral.public_id)


@require_POST
def accept(request, public_id):
    return _step(request, public_id, lambda r, d: services.referral_accept(actor=request.user, referral=r))


@require_POST
def decline(request, public_id):
    return _step(
        request,
        public_id,
        lambda r, d: services.referral_decline(actor=request.user, referral=r, reason=d["reason"]),
        ReasonForm,
        "decline_form",
        "decline_%s",
    )


@require_POST
def revoke(request, public_id):
    return _step(
        request,
        public_id,
        lambda r, d: services.referral_revoke(actor=request.user, referral=r, reason=d["reason"]),
        ReasonForm,
        "revoke_form",
        "revoke_%s",
    )


@require_POST
def message(request, public_id):
    def run(referral, data):
        if side_of(request.user) == Side.OFFICE:
            services.referral_answer(actor=request.user, referral=referral, body=data["body"])
        else:
            services.referral_ask(actor=request.user, referral=referral, body=data["body"])

    return _step(request, public_id, run, MessageForm, "message_form", "message_%s")


@require_POST
def record_action(request, public_id):
    return _step(
        request,
        public_id,
        lambda r, d: services.referral_record_action(actor=request.user, referral=r, **d),
        ActionForm,
        "action_form",
        "action_%s",
    )


@require_POST
def complete(request, public_id):
    return _step(
        request,
        public_id,
        lambda r, d: services.referral_complete(actor=request.user, referral=r, **d),
        CompleteForm,
        "complete_form",
        "complete_%s",
    )


@never_cache
@require_safe
def document(request, public_id, document_id):
    referral = selectors.referral_get(actor=request.user, public_id=public_id)
    return attachment_response(
        selectors.referral_document(actor=request.user, referral=referral, document_id=document_id)
    )


@require_safe
def response_times(request):
    if not referral_policy.can(request.user, "response_times"):
        raise Http404
    return render(request, "referrals/response_times.html", {"rows": selectors.response_times()})
