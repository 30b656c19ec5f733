"""The public information pages (/informasi/): light pages that need no JavaScript, and the printable leaflet."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from perisai.publicinfo import leaflet, selectors

# Browsers and proxies may keep the leaflet for a day: it is the same for everyone and names nobody.
LEAFLET_MAX_AGE = 24 * 60 * 60


@login_not_required
@require_safe
def index(request):
    return render(request, "publicinfo/index.html", {"pages": selectors.published_pages()})


@login_not_required
@require_safe
def detail(request, slug):
    page = selectors.published_page_get(slug=slug)
    others = selectors.published_pages().exclude(pk=page.pk)
    return render(request, "publicinfo/detail.html", {"page": page, "others": others})


@login_not_required
@require_safe
def leaflet_pdf(request):
    pdf = leaflet.cached_pdf(leaflet.leaflet_html())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="selebaran-perisai.pdf"'
    patch_cache_control(response, public=True, max_age=LEAFLET_MAX_AGE)
    return response
