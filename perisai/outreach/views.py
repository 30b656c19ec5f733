"""Joint outreach operations (/staf/rujukan/operasi/): record one, add the children found, turn each into a report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from perisai.cases import services as case_services
from perisai.cases.policies import case_policy
from perisai.core.forms import add_service_errors
from perisai.outreach import selectors, services
from perisai.outreach.forms import CasesFromOperationForm, ChildForm, ChildrenListForm, OperationForm
from perisai.outreach.policies import outreach_policy
from perisai.reports import services as report_services


@require_safe
def operation_list(request):
    if not outreach_policy.can(request.user, "list"):
        raise Http404
    context = {
        "operations": selectors.operation_list(actor=request.user)[:200],
        "can_create": outreach_policy.can(request.user, "create"),
    }
    return render(request, "outreach/operation_list.html", context)


@require_http_methods(["GET", "POST"])
def operation_create(request):
    if not outreach_policy.can(request.user, "create"):
        raise Http404
    initial = {"held_on": timezone.localdate()}
    if request.user.agency is not None and not request.user.agency.is_home_office:
        initial["agencies"] = [request.user.agency]  # a partner records its own operation
    form = OperationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        operation = services.outreach_record(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Operasi dicatat. Tambahkan anak yang ditemui."))
        return redirect("outreach:detail", public_id=operation.public_id)
    context = {
        "form": form,
        "heading": _("Catat operasi penjangkauan"),
        "back_url": reverse("outreach:list"),
        "back_label": _("Operasi penjangkauan"),
    }
    return render(request, "core/record_form.html", context, status=400 if form.errors else 200)


def _operation_page(request, operation, child_form=None, children_form=None, status=200):
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
        "children_form": children_form or ChildrenListForm(),
        "can_make_cases": outreach_policy.can(request.user, "make_cases", operation)
        and operation.children.filter(report__isnull=True).exists(),
        "can_add": outreach_policy.can(request.user, "add_child", operation),
        "can_make_report": outreach_policy.can(request.user, "make_report", operation),
    }
    return render(request, "outreach/operation_detail.html", context, status=status)


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
    return redirect("outreach:detail", public_id=operation.public_id)


@require_POST
def operation_child_report(request, public_id, child_id):
    operation = selectors.operation_get(actor=request.user, public_id=public_id)
    child = selectors.child_of(operation, child_id)
    report = services.outreach_child_to_report(actor=request.user, child=child)
    messages.success(request, _("Laporan %(code)s dibuat di kotak masuk.") % {"code": report.tracking_code})
    return redirect("outreach:detail", public_id=operation.public_id)


@require_POST
def operation_add_children(request, public_id):
    operation = selectors.operation_get(actor=request.user, public_id=public_id)
    if not outreach_policy.can(request.user, "add_child", operation):
        raise Http404
    form = ChildrenListForm(request.POST)
    if not form.is_valid():
        return _operation_page(request, operation, children_form=form, status=400)
    added = services.outreach_children_add(actor=request.user, operation=operation, **form.cleaned_data)
    messages.success(request, _("%(n)s anak dicatat.") % {"n": len(added)})
    return redirect("outreach:detail", public_id=operation.public_id)


@require_http_methods(["GET", "POST"])
def operation_cases(request, public_id):
    """One screen: the chosen children become cases with their shared facts, and may be referred together."""
    operation = selectors.operation_get(actor=request.user, public_id=public_id)
    if not outreach_policy.can(request.user, "make_cases", operation):
        raise Http404
    form = CasesFromOperationForm(request.POST or None, operation=operation, agency=request.user.agency)
    if request.method == "POST" and form.is_valid():
        try:
            cases = services.outreach_children_to_cases(actor=request.user, operation=operation, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except (case_services.WorkflowError, report_services.AlreadyTriaged):
            # Someone else made cases of these children a moment ago: nothing was made twice.
            form.add_error(None, _("Sebagian anak ini baru saja dijadikan kasus oleh orang lain. Muat ulang halaman."))
        else:
            messages.success(
                request,
                _("%(n)s kasus dibuka: %(numbers)s.")
                % {"n": len(cases), "numbers": ", ".join(case.registration_number for case in cases)},
            )
            return redirect("outreach:detail", public_id=operation.public_id)
    context = {"operation": operation, "form": form}
    return render(request, "outreach/operation_cases.html", context, status=400 if form.errors else 200)
