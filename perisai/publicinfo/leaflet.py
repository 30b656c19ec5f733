"""The printable leaflet (A4 PDF) for notice boards at schools, posyandu and kelurahan offices: the signs to look
for, whom to call, and a QR code that opens the report form.

It holds no personal data and is the same for every visitor, so it is cached: a public URL must not let anyone
make the server run WeasyPrint (half a second or more of CPU) at will. WeasyPrint may fetch URLs; the leaflet
needs none (its style, and the QR code as inline SVG, are in the HTML), so every fetch is refused.
"""

from __future__ import annotations

import hashlib

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

CACHE_SECONDS = 24 * 60 * 60
# Medium error correction survives a poster's creases and smudges and keeps the code small enough to scan from
# arm's length; the border of 4 modules is the quiet zone scanners need.
QR_ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M
QR_BORDER = 4


def report_form_url() -> str:
    """The absolute address of /lapor/ on this server, as a phone's camera must open it."""
    return settings.PERISAI_SITE_URL.rstrip("/") + reverse("reports_public:form")


def qr_code(url: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=QR_ERROR_CORRECTION, border=QR_BORDER, box_size=10)
    code.add_data(url)
    code.make(fit=True)
    return code


def qr_svg(url: str) -> SafeString:
    """The QR code as an inline SVG path, scaled by the page's CSS."""
    image = qr_code(url).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.to_string(encoding="unicode")
    # Our own generator's output from a URL in settings: no visitor's text reaches it.
    return mark_safe(svg[svg.index("<svg") :])  # noqa: S308  # nosec B308 B703


def leaflet_html() -> str:
    url = report_form_url()
    context = {
        "report_url": url,
        "qr": qr_svg(url),
        "info_url": settings.PERISAI_SITE_URL.rstrip("/") + reverse("publicinfo_public:index"),
        "office_name": settings.PERISAI_OFFICE_NAME,
    }
    return render_to_string("publicinfo/leaflet.html", context)


def refuse_fetch(url: str, *args, **kwargs):
    raise ValueError(f"the leaflet fetches nothing: {url[:60]}")


def cached_pdf(html: str) -> bytes:
    """The PDF for this HTML, made once: the HTML changes only with the language, the site URL or a release."""
    key = "publicinfo:leaflet-pdf:" + hashlib.sha256(html.encode()).hexdigest()
    pdf = cache.get(key)
    if pdf is None:
        pdf = leaflet_pdf(html)
        cache.set(key, pdf, CACHE_SECONDS)
    return pdf


def leaflet_pdf(html: str) -> bytes:
    # Imported here on purpose, as in stats.monthly: WeasyPrint loads Pango and its fonts, which every process
    # would otherwise pay at start although only this download uses it.
    import weasyprint

    return weasyprint.HTML(string=html, url_fetcher=refuse_fetch).write_pdf()
