"""The public landing page, as a parent or neighbour sees it on a cheap phone and on a desktop."""

import re

from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

EMERGENCY_NUMBERS = ["110", "112", "129"]
WHATSAPP = "08111-129-129"


def test_landing_page_shows_emergency_contacts(open_page, viewport):
    p = open_page(viewport)
    p.visit(reverse("core:landing"))

    expect(p.get_by_role("heading", level=1)).to_be_visible()
    emergency = p.get_by_role("main").locator(".emergency")
    for number in EMERGENCY_NUMBERS:
        link = emergency.get_by_role("link", name=re.compile(rf"^{number}\b"))
        expect(link).to_be_visible()
        expect(link).to_have_attribute("href", f"tel:{number}")
    whatsapp = emergency.get_by_role("link", name=re.compile(re.escape(WHATSAPP)))
    expect(whatsapp).to_be_visible()
    expect(whatsapp).to_have_attribute("href", "https://wa.me/628111129129")
    p.assert_no_horizontal_scroll()


def test_landing_page_keeps_its_content_security_policy(open_page):
    # Other browser tests ignore the CSP so axe can be injected; this one keeps it and fails on any
    # violation (an inline script or style in the base template would show up here).
    p = open_page("mobile", enforce_csp=True)
    response = p.visit(reverse("core:landing"))
    assert "script-src 'self'" in response.headers["content-security-policy"]


def test_language_switch_works_without_javascript(open_page, live_server):
    p = open_page("mobile", javascript=False)
    p.visit(reverse("core:landing"))
    expect(p.locator("html")).to_have_attribute("lang", "id")

    p.get_by_label("Bahasa", exact=True).select_option("en")
    with p.navigation():
        p.get_by_role("button", name="Ganti bahasa").click()

    expect(p.locator("html")).to_have_attribute("lang", "en")
    assert p.url == f"{live_server.url}{reverse('core:landing')}"  # back on the page it came from
    # The heading is English once locale/en is compiled; until then Django falls back to the Indonesian.
    with translation.override("en"):
        expected = translation.gettext("Lindungi anak dari kekerasan")
    expect(p.get_by_role("heading", level=1)).to_have_text(expected)


def test_a_missing_page_is_friendly_and_points_to_the_report_form(open_page, viewport, settings):
    settings.DEBUG = True  # as under make run: still the product's page, not Django's URL list
    p = open_page(viewport)
    p.visit("/halaman-yang-tidak-ada/", status=404)
    expect(p.get_by_role("heading", level=1)).to_have_text("Halaman tidak ditemukan")
    expect(p.get_by_role("link", name="Laporkan kekerasan terhadap anak")).to_have_attribute("href", "/lapor/")
    p.assert_no_horizontal_scroll()
    p.screenshot("404")
