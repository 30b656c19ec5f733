"""The public report form (/lapor/) as people really use it: a cheap phone with JavaScript off, a
desktop with JavaScript and the site's strict CSP, typing mistakes, and an impatient double tap.

Every page is checked by axe (open_page); screenshots land in test-results/screenshots/.
"""

from __future__ import annotations

import contextlib
import gzip
import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from perisai.accounts.choices import Role
from perisai.reports import altcha_check
from perisai.reports.choices import MessageSender
from perisai.reports.models import Report
from perisai.reports.services import report_message_from_staff

CODE = re.compile(r"^LPR-[23456789ABCDEFGHJKMNPQRSTWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTWXYZ]{4}$")
PIN = re.compile(r"^\d{6}$")
STORY = (
    "Saya tetangga. Tadi sore saya melihat paman anak itu memegang-megang anak di teras rumah.\n"
    "Anak menangis dan berlari ke dalam. Ini sudah beberapa kali terjadi."
)
STAFF_QUESTION = "Apakah anak masih di rumah?"
REPORTER_ANSWER = "Ya, anak masih di rumah bersama neneknya. Pamannya pulang jam 9 malam."
# The browser tests solve challenges at the production effort (fixed-effort mode: COUNTER_RANGE x COST hash
# rounds, about a second here); the fixture only pins it so a future change of the production numbers shows
# up as a deliberate edit here.
TEST_ALTCHA_COST = altcha_check.COST
ALTCHA_SOLVE_TIMEOUT_MS = 60_000
PAGE_WEIGHT_LIMIT = 60_000  # bytes of HTML + CSS of /lapor/, JavaScript excluded


@pytest.fixture
def cheap_altcha(monkeypatch):
    # The live server runs in this process, so it hands out challenges with this cost.
    monkeypatch.setattr(altcha_check, "COST", TEST_ALTCHA_COST)


def fill_bu_sri_report(p) -> None:
    """What Bu Sri, a neighbour in Masigit, tells: the child is in danger now, touched, anonymous."""
    p.get_by_label("Ya, anak dalam bahaya sekarang").check()
    p.get_by_label("Disentuh atau diraba di bagian pribadi").check()
    p.get_by_label("Ceritakan dengan kata-kata Anda sendiri").fill(STORY)
    p.get_by_label("Kecamatan", exact=True).select_option(label="Jombang")
    p.get_by_label("Kelurahan", exact=True).select_option(label="Masigit")
    p.get_by_label("Ya, saya melapor tanpa nama").check()


def submit_button(p):
    return p.get_by_role("button", name="Kirim laporan")


def _receipt_value(p, term: str):
    return p.locator(".receipt-codes dt", has_text=term).locator("xpath=following-sibling::dd[1]")


def receipt_code(p):
    return _receipt_value(p, "Kode laporan")


def receipt_code_and_pin(p) -> tuple[str, str]:
    return receipt_code(p).inner_text().strip(), _receipt_value(p, "PIN").inner_text().strip()


def wait_for_altcha(p) -> None:
    """The widget solved its challenge and put the payload into the form field `altcha`. It is loaded when the
    reporter first touches the form (static/js/lapor.js); focusing a field is such a touch."""
    p.locator(".report-form select[name=kecamatan]").focus()
    expect(p.locator("altcha-widget input[type=hidden][name=altcha]")).to_have_value(
        re.compile(r"^[A-Za-z0-9+/=]{40,}$"), timeout=ALTCHA_SOLVE_TIMEOUT_MS
    )


# --- a) Bu Sri, 360 px, JavaScript off ------------------------------------------------------------------


def test_bu_sri_reports_without_javascript_then_answers_the_officer(open_page, make_user):
    p = open_page("mobile", javascript=False)
    p.visit(reverse("reports_public:form"))
    expect(p.get_by_role("heading", level=1)).to_have_text("Laporkan kekerasan terhadap anak")
    # Without JavaScript the proof-of-work widget is simply absent, and the form still works.
    expect(p.locator("altcha-widget")).to_be_empty()
    expect(p.get_by_text("Saya bukan robot")).to_have_count(0)
    p.assert_no_horizontal_scroll()
    p.screenshot("01-empty-form")

    fill_bu_sri_report(p)
    p.screenshot("02-filled-form")
    with p.navigation(status=201):
        submit_button(p).click()

    expect(p.get_by_role("heading", level=1)).to_have_text("Terima kasih, laporan Anda sudah kami terima")
    code, pin = receipt_code_and_pin(p)
    assert CODE.match(code), code
    assert PIN.match(pin), pin
    expect(p.get_by_text("Laporan Anda ditandai darurat dan ditangani paling dulu.")).to_be_visible()
    p.assert_no_horizontal_scroll()
    p.screenshot("03-receipt")

    report = Report.objects.get(tracking_code=code)
    assert report.urgent is True
    assert report.harms == ["touched"]
    assert report.kelurahan.code == "36.72.05.1003"  # Masigit, Jombang
    # No JavaScript, so no proof of work: the report is kept and flagged for a person to look at.
    assert report.needs_review is True
    assert "proof_of_work" in report.review_reasons

    p.visit(reverse("reports_public:check"))
    p.get_by_label("Kode laporan").fill(code)
    p.get_by_label("PIN").fill(pin)
    p.screenshot("04-check-form")
    with p.navigation():
        p.get_by_role("button", name="Lihat laporan").click()
    expect(p.get_by_role("heading", level=1)).to_contain_text(code)
    expect(p.get_by_text("Laporan Anda sudah diterima.")).to_be_visible()
    expect(p.get_by_text("Belum ada pesan.")).to_be_visible()
    p.assert_no_horizontal_scroll()
    p.screenshot("05-status")

    officer = make_user(Role.INTAKE_OFFICER)
    report_message_from_staff(actor=officer, report=report, body=STAFF_QUESTION)
    p.visit(reverse("reports_public:status"))
    thread = p.get_by_role("list").filter(has_text=STAFF_QUESTION)
    expect(thread.get_by_text(STAFF_QUESTION)).to_be_visible()
    expect(thread).to_contain_text("Petugas UPTD PPA")
    p.screenshot("06-staff-question")

    p.get_by_label("Tambah keterangan atau jawab pertanyaan petugas").fill(REPORTER_ANSWER)
    with p.navigation():
        p.get_by_role("button", name="Kirim", exact=True).click()
    expect(p.get_by_text(REPORTER_ANSWER)).to_be_visible()
    expect(p.get_by_label("Tambah keterangan atau jawab pertanyaan petugas")).to_have_value("")
    p.assert_no_horizontal_scroll()
    p.screenshot("07-answered")
    senders = list(report.messages.order_by("sent_at").values_list("sender", "body"))
    assert senders == [(MessageSender.STAFF, STAFF_QUESTION), (MessageSender.REPORTER, REPORTER_ANSWER)]


# --- b) 1280 px, JavaScript on, CSP enforced ----------------------------------------------------------------


def test_desktop_report_with_javascript_solves_altcha_under_strict_csp(open_page, cheap_altcha):
    p = open_page("desktop", enforce_csp=True)  # any CSP violation (inline style, blob: worker) fails the test
    response = p.visit(reverse("reports_public:form"))
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp

    widget = p.locator("altcha-widget")
    wait_for_altcha(p)
    # Indonesian strings from the vendored i18n file, chosen from <html lang="id">.
    expect(widget.get_by_text("Terverifikasi")).to_be_visible()
    expect(widget.get_by_role("checkbox")).to_be_checked()
    p.screenshot("01-altcha-verified")

    # lapor.js: the kelurahan list follows the chosen kecamatan.
    kecamatan = p.get_by_label("Kecamatan", exact=True)
    kelurahan = p.get_by_label("Kelurahan", exact=True)
    all_groups = kelurahan.locator("optgroup")
    assert all_groups.count() > 1
    kecamatan.select_option(label="Jombang")
    shown = kelurahan.evaluate("s => [...s.querySelectorAll('optgroup')].filter(g => !g.hidden).map(g => g.label)")
    assert shown == ["Jombang"]
    hidden_disabled = kelurahan.evaluate(
        "s => [...s.querySelectorAll('optgroup')].filter(g => g.hidden).every(g => g.disabled)"
    )
    assert hidden_disabled, "kelurahan of other kecamatan must not be selectable"
    kelurahan.select_option(label="Masigit")

    # lapor.js: contact fields only when the reporter wants to be contacted.
    expect(p.get_by_label("Nama Anda")).to_be_hidden()
    p.get_by_label("Tidak, saya mau dihubungi petugas").check()
    expect(p.get_by_label("Nama Anda")).to_be_visible()
    expect(p.get_by_label("Nomor telepon / WhatsApp")).to_be_visible()
    p.get_by_label("Ya, saya melapor tanpa nama").check()
    expect(p.get_by_label("Nama Anda")).to_be_hidden()

    p.get_by_label("Disentuh atau diraba di bagian pribadi").check()
    p.get_by_label("Ceritakan dengan kata-kata Anda sendiri").fill(STORY)
    p.get_by_label("Tidak, saya mau dihubungi petugas").check()
    p.get_by_label("Nama Anda").fill("Sri Wahyuni")
    p.get_by_label("Nomor telepon / WhatsApp").fill("0812-3456-7890")
    p.screenshot("02-filled-form")
    wait_for_altcha(p)  # still solved (nothing above reset it)
    with p.navigation(status=201):
        submit_button(p).click()

    code, pin = receipt_code_and_pin(p)
    assert CODE.match(code) and PIN.match(pin)
    p.screenshot("03-receipt")
    report = Report.objects.get(tracking_code=code)
    assert report.needs_review is False, report.review_reasons
    assert report.review_reasons == []
    assert report.kelurahan.code == "36.72.05.1003"
    assert report.reporter_anonymous is False


@pytest.mark.parametrize(("algorithm", "worker"), [("SHA-256", "sha.js"), ("PBKDF2/SHA-256", "pbkdf2.js")])
def test_altcha_runs_from_same_origin_files_only(open_page, cheap_altcha, monkeypatch, algorithm, worker):
    # The "external" build creates no blob: workers and injects no <style>: everything comes from /static/.
    # SHA-256 is what the server issues today; PBKDF2 is registered too, so the server may switch.
    monkeypatch.setattr(altcha_check, "ALGORITHM", algorithm)
    p = open_page("mobile", enforce_csp=True)
    requests = []
    p.page.on("request", lambda request: requests.append(request.url))
    p.visit(reverse("reports_public:form"))
    p.page.wait_for_load_state("networkidle")
    # A visit alone fetches nothing of the widget: someone reading the page on a slow phone does not pay for it.
    assert not [url for url in requests if "/altcha" in url], requests
    wait_for_altcha(p)
    origin = p.page.url.split(reverse("reports_public:form"))[0]
    assert f"{origin}/static/vendor/altcha/workers/{worker}" in requests, requests
    assert [url for url in requests if not url.startswith(origin + "/")] == []
    assert p.evaluate("() => document.querySelectorAll('style').length") == 0
    p.assert_no_horizontal_scroll()

    p.get_by_label("Hal lain").check()
    p.get_by_label("Kecamatan", exact=True).select_option(label="Jombang")
    with p.navigation(status=201):
        submit_button(p).click()
    assert Report.objects.get().review_reasons == []


# --- c) Bad input at 360 px ---------------------------------------------------------------------------------


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_missing_answers_show_indonesian_errors_next_to_the_fields_and_keep_typed_text(
    open_page, cheap_altcha, javascript
):
    p = open_page("mobile", javascript=javascript, enforce_csp=javascript)
    p.visit(reverse("reports_public:form"))
    p.get_by_label("Nama atau inisial anak").fill("Ani (inisial A)")
    p.get_by_label("Perkiraan usia anak (tahun)").fill("9")
    p.get_by_label("Sekolah anak").fill("SDN Masigit 1")
    with p.navigation(status=400):
        submit_button(p).click()

    expect(p.get_by_role("alert").first).to_contain_text("Laporan belum terkirim")
    harms = p.locator("fieldset.field-invalid", has=p.get_by_label("Disentuh atau diraba di bagian pribadi"))
    expect(harms).to_contain_text("Centang apa yang terjadi, atau ceritakan di kolom cerita.")
    expect(harms).to_have_attribute("aria-describedby", "id_harms_errors")
    kecamatan_field = p.locator(".field.field-invalid", has=p.locator("select[name=kecamatan]"))
    expect(kecamatan_field).to_contain_text("Pilih kecamatan, atau tuliskan alamat atau patokan.")
    # Nothing typed is lost.
    expect(p.get_by_label("Nama atau inisial anak")).to_have_value("Ani (inisial A)")
    expect(p.get_by_label("Perkiraan usia anak (tahun)")).to_have_value("9")
    expect(p.get_by_label("Sekolah anak")).to_have_value("SDN Masigit 1")
    p.assert_no_horizontal_scroll()
    p.screenshot("errors")
    assert Report.objects.count() == 0

    # Fixing the two answers sends the report, with the child's details typed before the error.
    p.get_by_label("Disentuh atau diraba di bagian pribadi").check()
    p.get_by_label("Kecamatan", exact=True).select_option(label="Jombang")
    if javascript:
        wait_for_altcha(p)  # a fresh challenge on the re-rendered page
    with p.navigation(status=201):
        submit_button(p).click()
    report = Report.objects.get()
    assert report.child_name == "Ani (inisial A)"
    assert report.child_school == "SDN Masigit 1"
    assert report.needs_review is not javascript


# --- d) Double submit ---------------------------------------------------------------------------------------


def _tapper(p, locator):
    """Raw taps at the element's centre: unlike locator.click(), they do not wait for a navigation
    already under way, which is exactly what an impatient second tap does."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    return lambda: p.mouse.click(x, y)


def test_two_quick_taps_on_send_make_one_report(open_page):
    p = open_page("mobile", javascript=False)
    p.visit(reverse("reports_public:form"))
    fill_bu_sri_report(p)

    # Hold each POST in the browser until both taps are done, as a slow mobile network would; then let
    # both reach the server (the browser has already given up on the first one, the server has not).
    held = []

    def hold_posts(route):
        if route.request.method == "POST":
            held.append(route)
        else:
            route.continue_()

    p.route("**" + reverse("reports_public:form"), hold_posts)
    tap = _tapper(p, submit_button(p))
    tap()
    _wait_until(p, lambda: len(held) == 1)
    tap()  # the page still shows the form: the first answer has not come back
    _wait_until(p, lambda: len(held) == 2)

    statuses = []
    with p.navigation(status=None):
        for route in held:
            response = route.fetch()  # sent to the live server whatever the browser thinks of it now
            statuses.append(response.status)
            # The browser may have cancelled the first request when the second tap came.
            with contextlib.suppress(PlaywrightError):
                route.fulfill(response=response)
    assert statuses == [201, 200]  # the second POST found the report the first one created
    assert Report.objects.count() == 1
    code, pin = receipt_code_and_pin(p)
    assert code == Report.objects.get().tracking_code
    assert PIN.match(pin)
    p.screenshot("receipt")


def test_send_go_back_and_send_again_makes_one_report(open_page, cheap_altcha):
    p = open_page("mobile", enforce_csp=True)
    p.visit(reverse("reports_public:form"))
    fill_bu_sri_report(p)
    wait_for_altcha(p)
    with p.navigation(status=201):
        submit_button(p).click()
    first_code, _pin = receipt_code_and_pin(p)
    p.screenshot("first-receipt")

    p.page.go_back()
    p.check()
    expect(p.get_by_label("Disentuh atau diraba di bagian pribadi")).to_be_checked()  # as the reporter left it
    with p.navigation(status=200):  # 200, not 201: nothing new was created
        submit_button(p).click()
    assert Report.objects.count() == 1
    expect(receipt_code(p)).to_have_text(first_code)
    if p.locator(".receipt-codes dt", has_text="PIN").count() == 0:
        # Chromium fetched the form again (new token); the server recognised the same answers from the
        # same device and says so instead of showing a PIN it cannot know.
        expect(p.get_by_text("Laporan yang sama sudah kami terima")).to_be_visible()
    p.assert_no_horizontal_scroll()
    p.screenshot("second-receipt")


def _wait_until(p, condition, timeout_ms: int = 5_000) -> None:
    waited = 0
    while not condition():
        if waited >= timeout_ms:
            raise AssertionError("timed out waiting for the browser")
        p.wait_for_timeout(50)  # lets Playwright dispatch its events (route handlers) meanwhile
        waited += 50


# --- Page weight --------------------------------------------------------------------------------------------


class _Stylesheets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and attributes.get("rel") == "stylesheet":
            self.hrefs.append(attributes["href"])


def test_report_form_html_and_css_stay_under_60_kb(db, settings, capsys):
    """HTML + CSS of /lapor/ (JavaScript excluded) under 60 KB even uncompressed; gzip sizes are printed
    (whitenoise serves the compressed copies in production)."""
    response = Client(HTTP_ACCEPT_LANGUAGE="id").get(reverse("reports_public:form"))
    assert response.status_code == 200
    html = response.content
    parser = _Stylesheets()
    parser.feed(html.decode())
    # The widget's stylesheet comes with the widget (static/js/lapor.js), never blocking the first paint of a
    # visitor who has no JavaScript to use it.
    assert not any("altcha" in href for href in parser.hrefs), parser.hrefs
    parts = {"HTML /lapor/": html}
    for href in parser.hrefs:
        path = finders.find(href.removeprefix(settings.STATIC_URL).removeprefix("/" + settings.STATIC_URL))
        assert path, f"{href} is not a static file"
        with open(path, "rb") as stylesheet:
            parts[href] = stylesheet.read()
    total = sum(len(body) for body in parts.values())
    total_gzip = sum(len(gzip.compress(body, compresslevel=9)) for body in parts.values())
    with capsys.disabled():
        for name, body in parts.items():
            print(f"\n  {name}: {len(body):,} B ({len(gzip.compress(body, compresslevel=9)):,} B gzip)", end="")
        print(f"\n  total HTML+CSS: {total:,} B ({total_gzip:,} B gzip)")
    assert total < PAGE_WEIGHT_LIMIT, f"/lapor/ HTML+CSS is {total:,} bytes uncompressed"
