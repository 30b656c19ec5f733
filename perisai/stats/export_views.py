"""Case-list exports (/staf/dasbor/ekspor/): supervisors only, password asked again first, built in the
background with a progress page (htmx polls it; without JavaScript a link refreshes it), downloaded once, audited."""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from perisai.stats import services
from perisai.stats.forms import PeriodForm
from perisai.stats.models import CaseExport, ExportFormat, ExportStatus
from perisai.stats.policies import stats_policy
from perisai.stats.views import _download

CONTENT_TYPES = {
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.CSV: "text/csv; charset=utf-8",
}


class ExportForm(PeriodForm):
    format = forms.ChoiceField(label=_("Format berkas"), choices=ExportFormat.choices, initial=ExportFormat.XLSX)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        if "format" not in self.data:
            self.data = {**self.data, "format": ExportFormat.XLSX}


def _allowed(request) -> None:
    if not stats_policy.can(request.user, "export_cases"):
        raise Http404


def _mine(request, public_id) -> CaseExport:
    return get_object_or_404(CaseExport, public_id=public_id, requested_by=request.user)


@require_http_methods(["GET", "POST"])
def export_list(request):
    _allowed(request)
    return _export_list(request)


@reauthentication_required
def _export_list(request):
    form = ExportForm(request.POST if request.method == "POST" else request.GET)
    if request.method == "POST" and form.is_valid():
        export = services.export_request(
            actor=request.user,
            period=form.period(),
            kecamatan=form.kecamatan_code(),
            file_format=form.cleaned_data["format"],
        )
        return redirect("stats:export_detail", public_id=export.public_id)
    exports = CaseExport.objects.filter(requested_by=request.user)[:20]
    return render(request, "stats/exports.html", {"form": form, "exports": exports})


@require_safe
def export_detail(request, public_id):
    _allowed(request)
    export = _mine(request, public_id)
    working = export.status in (ExportStatus.WAITING, ExportStatus.RUNNING)
    # htmx polls the status block while the worker runs (progressive enhancement; the link works without it).
    template = "stats/_export_status.html" if request.htmx else "stats/export_detail.html"
    return render(request, template, {"export": export, "working": working})


@require_safe
def export_download(request, public_id):
    _allowed(request)
    return _export_download(request, public_id)


@reauthentication_required
def _export_download(request, public_id):
    export = _mine(request, public_id)
    try:
        content = services.export_download(actor=request.user, export=export)
    except PermissionDenied:
        raise Http404 from None
    name = f"kasus-{export.params['start']}_{export.params['end']}.{export.file_format}"
    return _download(content, name, CONTENT_TYPES[export.file_format])
