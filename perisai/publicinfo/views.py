"""The administrators' pages for the public information (/staf/informasi/): list, write with a preview, versions."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from perisai.publicinfo import selectors, services
from perisai.publicinfo.forms import InfoPageForm
from perisai.publicinfo.policies import info_page_policy
from perisai.publicinfo.sanitise import safe_html

PREVIEW = "pratinjau"  # the name of the preview button: the form is shown again with the cleaned text beside it


def _require(actor, action: str) -> None:
    if not info_page_policy.can(actor, action):
        raise Http404


@require_safe
def page_list(request):
    _require(request.user, "view")
    return render(
        request,
        "publicinfo/staff_list.html",
        {"pages": selectors.page_list(actor=request.user), "can_create": info_page_policy.can(request.user, "create")},
    )


@require_http_methods(["GET", "POST"])
def page_create(request):
    _require(request.user, "create")
    form = InfoPageForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and PREVIEW not in request.POST:
        page = services.page_create(actor=request.user, **form.page_fields())
        messages.success(request, _("Halaman disimpan."))
        return redirect("publicinfo:edit", slug=page.slug)
    return render(request, "publicinfo/staff_form.html", _form_context(request, form, page=None))


@require_http_methods(["GET", "POST"])
def page_edit(request, slug):
    page = selectors.page_get(actor=request.user, slug=slug)
    _require(request.user, "edit")
    initial = {"seen_version": services.latest_version_id(page)}
    form = InfoPageForm(request.POST or None, instance=page, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid() and PREVIEW not in request.POST:
        try:
            services.page_update(
                actor=request.user, page=page, seen_version=form.cleaned_data["seen_version"], **form.page_fields()
            )
        except services.StaleEdit:
            form.add_error(
                None,
                _(
                    "Halaman ini baru saja diubah orang lain. Teks Anda belum disimpan: salin dulu, buka riwayat "
                    "untuk melihat perubahan mereka, lalu muat ulang halaman ini."
                ),
            )
        else:
            messages.success(request, _("Halaman disimpan. Versi sebelumnya tetap ada di riwayat."))
            return redirect("publicinfo:edit", slug=page.slug)
    return render(request, "publicinfo/staff_form.html", _form_context(request, form, page=page))


def _form_context(request, form, *, page) -> dict:
    preview = None
    if request.method == "POST" and PREVIEW in request.POST and form.is_valid():
        preview = safe_html(form.cleaned_data["body"])
    return {"form": form, "page": page, "preview": preview}


@require_safe
def page_history(request, slug):
    page = selectors.page_get(actor=request.user, slug=slug)
    _require(request.user, "history")
    versions = selectors.page_versions(actor=request.user, page=page)
    return render(request, "publicinfo/staff_history.html", {"page": page, "versions": versions})


@require_http_methods(["GET", "POST"])
def page_version(request, slug, history_id):
    """One old version as it would be shown; POST makes it the current text again."""
    page = selectors.page_get(actor=request.user, slug=slug)
    version = selectors.page_version_get(actor=request.user, page=page, history_id=history_id)
    if request.method == "POST":
        services.page_restore(actor=request.user, page=page, history_id=version.history_id)
        messages.success(request, _("Versi lama dipulihkan. Teks sebelumnya tetap ada di riwayat."))
        return redirect("publicinfo:history", slug=page.slug)
    context = {
        "page": page,
        "version": version,
        "version_body": safe_html(version.body),
        "can_restore": info_page_policy.can(request.user, "restore", page),
    }
    return render(request, "publicinfo/staff_version.html", context)
