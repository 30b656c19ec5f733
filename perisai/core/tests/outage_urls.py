"""Views that fail the ways core.outage and core.error_reporting must handle, beside the real site's URLs."""

from __future__ import annotations

import errno
import logging

from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError, OperationalError
from django.http import Http404, HttpResponse
from django.urls import include, path
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt

from perisai.core import outage

handler500 = "perisai.core.outage.server_error"
handler400 = "perisai.core.outage.bad_request"

CHILD = "Bunga Lestari"
REPORTER_EMAIL = "sri.rahayu@example.com"


@login_not_required
def database_down(request):
    raise OperationalError(f'connection to server at "10.0.0.5" failed while saving {CHILD}')


@login_not_required
def disk_full(request):
    raise OSError(errno.ENOSPC, "No space left on device", f"/srv/perisai/media/{CHILD}.jpg")


@login_not_required
def bug(request):
    raise ValueError(f"unexpected value for {CHILD}")


@login_not_required
def duplicate(request):
    raise IntegrityError(f"duplicate key value violates unique constraint: ({CHILD})")


@login_not_required
def not_here(request):
    raise Http404(f"no case for {CHILD}")


def _typed_again(request):
    return HttpResponse(f"<p>Belum terkirim: {escape(request.POST.get('story', ''))}</p>", status=503)


@csrf_exempt
@login_not_required
@outage.keeps_input(_typed_again)
def keeps(request):
    raise OperationalError("database or disk is full")


@csrf_exempt
@login_not_required
def crash_with_a_name(request):
    signed_in = request.user.is_authenticated  # looked up, as staff pages do: the report may name the account number
    child_name = request.POST.get("nama", CHILD)  # a local variable the error report must not carry
    reporter_email = REPORTER_EMAIL
    logging.getLogger("perisai.test").info("checking %s for %s", child_name, reporter_email)  # a breadcrumb
    raise ValueError(f"Nama {child_name} tidak valid ({reporter_email}, {signed_in})")


urlpatterns = [
    path("gagal/database/", database_down),
    path("gagal/disk/", disk_full),
    path("gagal/bug/", bug),
    path("gagal/duplikat/", duplicate),
    path("gagal/simpan/", keeps),
    path("gagal/nama/", crash_with_a_name),
    path("gagal/tidak-ada/", not_here),
    path("", include("config.urls")),
]
