"""The printable leaflet: one A4 page, public and cacheable, with a QR code that opens this server's /lapor/."""

import io
import re

import pikepdf
import pytest
import qrcode
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from perisai.publicinfo import leaflet

pytestmark = pytest.mark.django_db

SITE = "https://perisai.cilegon.example"
A4_POINTS = (595, 842)


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.PERISAI_SITE_URL = SITE + "/"


def dark_modules(svg: str) -> set[tuple[int, int]]:
    """The modules qrcode's SvgPathImage draws: one 'Mx,yH..' square per dark module."""
    return {(int(x), int(y)) for x, y in re.findall(r"M(\d+),(\d+)H", svg)}


def test_the_qr_code_holds_the_absolute_address_of_the_report_form():
    assert leaflet.report_form_url() == f"{SITE}/lapor/"
    # No QR decoder is installed here, so the drawn code is compared module by module with the one qrcode makes
    # for the URL (same error correction, quiet zone of four modules).
    reference = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    reference.add_data(f"{SITE}/lapor/")
    reference.make(fit=True)
    expected = {(x, y) for y, row in enumerate(reference.get_matrix()) for x, dark in enumerate(row) if dark}
    svg = re.search(r"<svg.*?</svg>", leaflet.leaflet_html(), re.DOTALL).group(0)
    assert dark_modules(svg) == expected


def test_the_leaflet_is_one_a4_page_with_nothing_fetched(monkeypatch):
    fetched = []
    monkeypatch.setattr(leaflet, "refuse_fetch", lambda url, *a, **k: fetched.append(url) or {})
    pdf = leaflet.leaflet_pdf(leaflet.leaflet_html())
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) == 1  # a poster: what does not fit is cut off by the printer, not continued
        box = document.pages[0].mediabox
        assert (round(float(box[2])), round(float(box[3]))) == A4_POINTS
    assert fetched == []


def test_the_leaflet_refuses_every_fetch():
    with pytest.raises(ValueError, match="fetches nothing"):
        leaflet.refuse_fetch("https://tracker.example/pixel.png")


def test_the_download_is_public_cacheable_and_made_once(monkeypatch):
    cache.clear()
    made = []
    real = leaflet.leaflet_pdf
    monkeypatch.setattr(leaflet, "leaflet_pdf", lambda html: made.append(1) or real(html))
    url = reverse("publicinfo_public:leaflet")
    first, second = Client().get(url), Client().get(url)
    assert first.status_code == second.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert "public" in first["Cache-Control"] and "max-age=86400" in first["Cache-Control"]
    assert first.content == second.content and first.content.startswith(b"%PDF-")
    assert made == [1]


def test_a_signed_in_visitor_gets_the_same_public_file(make_user):
    client = Client()
    client.force_login(make_user())
    response = client.get(reverse("publicinfo_public:leaflet"))
    assert response.status_code == 200 and "public" in response["Cache-Control"]
