"""/staf/impor/: upload a register, read the dry run (every row's problems, what would be created), adjust which
column is which, then import all of it or nothing. Thin: reading in reading.py, the plan in plan.py, writes in
services.py, permission in policies.py.

Between the dry run and the import the file waits in the cache for an hour, encrypted with the field keys
(it holds children's names and NIK) and tied to the person who sent it; only a token travels in the form."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from perisai.core import crypto
from perisai.imports import services
from perisai.imports.columns import FIELDS, find_header, header_texts, mapping_from_template
from perisai.imports.forms import MappingForm, UploadForm
from perisai.imports.plan import make_plan
from perisai.imports.policies import import_policy
from perisai.imports.reading import UnreadableFile, read_sheet

KEEP_SECONDS = 60 * 60


def _allowed(request) -> None:
    if not import_policy.can(request.user, "import"):
        raise Http404


def _key(request, token: str) -> str:
    return f"imports:file:{request.user.pk}:{token}"


@require_http_methods(["GET", "POST"])
def upload(request):
    _allowed(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "GET" or not form.is_valid():
        return render(request, "imports/upload.html", {"form": form}, status=200 if request.method == "GET" else 400)
    upload = form.cleaned_data["file"]
    content = upload.read()
    try:
        sheet = read_sheet(content, upload.name)
    except UnreadableFile as error:
        form.add_error("file", str(error))
        return render(request, "imports/upload.html", {"form": form}, status=400)
    token = secrets.token_urlsafe(16)
    cache.set(_key(request, token), crypto.encrypt(content), KEEP_SECONDS)
    cache.set(_key(request, token) + ":name", crypto.encrypt(upload.name.encode()), KEEP_SECONDS)  # may name a child
    template = form.cleaned_data["template"]
    headers = header_texts(sheet.rows, find_header(sheet.rows))
    mapping = mapping_from_template(template.mapping, headers) if template else None
    plan = make_plan(sheet, mapping)
    return _check_page(request, token, upload.name, plan, content)


def _check_page(request, token, filename, plan, content, *, form=None, status=200, error=None):
    initial = {"token": token, **{f"col_{key}": str(col) for key, col in plan.mapping.items()}}
    form = form or MappingForm(initial=initial, headers=plan.headers)
    context = {
        "plan": plan,
        "form": form,
        "filename": filename,
        "sha256": hashlib.sha256(content).hexdigest(),
        "fields": [(field, form[f"col_{field.key}"]) for field in FIELDS],
        "error": error,
    }
    return render(request, "imports/check.html", context, status=status)


@require_POST
def check(request):
    """Check again with the columns chosen, save them as a template, or import."""
    _allowed(request)
    token = request.POST.get("token", "")
    stored = cache.get(_key(request, token)) if token else None
    if stored is None:
        messages.error(request, _("Berkas sudah tidak tersimpan (lebih dari satu jam). Unggah lagi."))
        return redirect("imports:upload")
    content = crypto.decrypt(stored)
    stored_name = cache.get(_key(request, token) + ":name")
    filename = crypto.decrypt(stored_name).decode() if stored_name else "register"
    sheet = read_sheet(content, filename)
    headers = make_plan(sheet).headers
    form = MappingForm(request.POST, headers=headers)
    if not form.is_valid():
        return _check_page(request, token, filename, make_plan(sheet), content, form=form, status=400)
    plan = make_plan(sheet, form.mapping())
    step = request.POST.get("langkah")
    if step == "templat":
        if not form.cleaned_data["template_name"].strip():
            form.add_error("template_name", _("Tuliskan nama templat."))
            return _check_page(request, token, filename, plan, content, form=form, status=400)
        services.import_template_save(actor=request.user, name=form.cleaned_data["template_name"], plan=plan)
        messages.success(request, _("Templat kolom disimpan."))
    elif step == "impor":
        try:
            result = services.import_run(
                actor=request.user, plan=plan, file_sha256=hashlib.sha256(content).hexdigest(), filename=filename
            )
        except services.ImportRefused as refused:
            return _check_page(request, token, filename, plan, content, form=form, status=400, error=str(refused))
        cache.delete_many([_key(request, token), _key(request, token) + ":name"])
        return render(request, "imports/done.html", {"result": result, "filename": filename})
    return _check_page(request, token, filename, plan, content, form=form)
