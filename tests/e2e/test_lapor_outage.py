"""The public form while the database refuses the report (issue 16: a PostgreSQL restart gave 117 reporters a bare
500 and lost their words). A neighbour types her report, the database fails as she sends it, she reads plainly that
it was NOT sent with everything she typed still there, sends again once the database is back, and gets her receipt.

At 360 px without JavaScript (a cheap phone) and at 1280 px with JavaScript and the strict CSP: there the
proof-of-work widget must solve a fresh challenge on the page shown again, or the second send would be flagged.
"""

from __future__ import annotations

import re

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.urls import reverse
from playwright.sync_api import expect

from perisai.reports.models import Report
from tests.e2e.test_lapor_journey import (
    CODE,
    PIN,
    STORY,
    cheap_altcha,  # noqa: F401 - a fixture
    receipt_code_and_pin,
    submit_button,
    wait_for_altcha,
)

NOT_SENT = "Laporan Anda BELUM terkirim karena ada gangguan di server kami."
REPORT_INSERT = re.compile(r'^\s*INSERT INTO "reports_report"', re.IGNORECASE)


@pytest.fixture
def database_refusing_reports(monkeypatch):
    """Every connection, the live server's thread included, fails to store a report, as a full or restarting
    database does; `.back()` ends the outage."""
    original = CursorWrapper.execute

    def execute(self, sql, params=None):
        if REPORT_INSERT.match(sql):
            raise OperationalError("database or disk is full")
        return original(self, sql, params)

    monkeypatch.setattr(CursorWrapper, "execute", execute)

    class Outage:
        @staticmethod
        def back():
            monkeypatch.setattr(CursorWrapper, "execute", original)

    return Outage


@pytest.mark.usefixtures("cheap_altcha")
@pytest.mark.parametrize("viewport", ["mobile", "desktop"])
def test_a_report_sent_during_an_outage_is_kept_then_sent_again(open_page, database_refusing_reports, viewport):
    javascript = viewport == "desktop"
    p = open_page(viewport, javascript=javascript, enforce_csp=javascript)
    p.visit(reverse("reports_public:form"))
    p.get_by_label("Ya, anak dalam bahaya sekarang").check()
    p.get_by_label("Disentuh atau diraba di bagian pribadi").check()
    p.get_by_label("Ceritakan dengan kata-kata Anda sendiri").fill(STORY)
    p.get_by_label("Kecamatan", exact=True).select_option(label="Jombang")
    p.get_by_label("Kelurahan", exact=True).select_option(label="Masigit")
    p.get_by_label("Nama atau inisial anak").fill("Bunga (inisial B)")
    p.get_by_label("Tidak, saya mau dihubungi petugas").check()
    p.get_by_label("Nama Anda").fill("Sri Wahyuni")
    p.get_by_label("Nomor telepon / WhatsApp").fill("0812-3456-7890")
    if javascript:
        wait_for_altcha(p)
    with p.navigation(status=503):
        submit_button(p).click()

    alert = p.get_by_role("alert").first
    expect(alert).to_contain_text(NOT_SENT)
    expect(alert).to_contain_text("Semua yang Anda tulis masih ada di bawah")
    expect(alert.get_by_role("link", name="SAPA 129")).to_have_attribute("href", "tel:129")
    expect(p.get_by_label("Ceritakan dengan kata-kata Anda sendiri")).to_have_value(STORY)
    expect(p.get_by_label("Ya, anak dalam bahaya sekarang")).to_be_checked()
    expect(p.get_by_label("Disentuh atau diraba di bagian pribadi")).to_be_checked()
    expect(p.get_by_label("Kelurahan", exact=True).locator("option:checked")).to_have_text("Masigit")
    expect(p.get_by_label("Nama atau inisial anak")).to_have_value("Bunga (inisial B)")
    expect(p.get_by_label("Nama Anda")).to_be_visible()  # lapor.js keeps the contact fields open
    expect(p.get_by_label("Nama Anda")).to_have_value("Sri Wahyuni")
    p.assert_no_horizontal_scroll()
    p.screenshot("01-not-sent")
    assert not Report.objects.exists()

    database_refusing_reports.back()
    if javascript:
        wait_for_altcha(p)  # a fresh challenge, solved on the page shown again
    with p.navigation(status=201):
        submit_button(p).click()
    code, pin = receipt_code_and_pin(p)
    assert CODE.match(code) and PIN.match(pin)
    p.screenshot("02-receipt")
    report = Report.objects.get()
    assert (report.tracking_code, report.child_name, report.reporter_name) == (code, "Bunga (inisial B)", "Sri Wahyuni")
    assert report.kelurahan.code == "36.72.05.1003"
    assert report.review_reasons == ([] if javascript else ["proof_of_work"])


@pytest.mark.parametrize("viewport", ["mobile", "desktop"])
def test_staff_see_the_maintenance_page_while_the_database_is_down(open_page, make_user, monkeypatch, viewport):
    p = open_page(viewport, user=make_user("intake_officer"), enforce_csp=True)

    def down(self, sql, params=None):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", down)  # reading the session is the first thing that fails
    response = p.visit(reverse("portal:staff_home"), status=503)
    assert response.headers["retry-after"] == "60"
    expect(p.get_by_role("heading", level=1)).to_have_text("Perisai sedang mengalami gangguan")
    expect(p.get_by_text("Coba lagi beberapa menit lagi.")).to_be_visible()
    expect(p.get_by_role("link", name="SAPA 129 (KemenPPPA)")).to_have_attribute("href", "tel:129")
    p.assert_no_horizontal_scroll()
    p.screenshot("maintenance")
    monkeypatch.undo()  # the database is back before the test's own checks (statistics) read it


@pytest.mark.parametrize("viewport", ["mobile", "desktop"])
def test_a_reporters_message_written_during_an_outage_is_kept_then_sent(open_page, monkeypatch, viewport):
    from perisai.reports.models import ReportMessage
    from perisai.reports.tests.helpers import submitted

    submission = submitted()
    p = open_page(viewport, javascript=False, enforce_csp=True)
    p.visit(reverse("reports_public:check"))
    p.get_by_label("Kode laporan").fill(submission.report.tracking_code)
    p.get_by_label("PIN").fill(submission.pin)
    with p.navigation(status=200):
        p.get_by_role("button", name="Lihat laporan").click()
    message = "Anak sudah dibawa neneknya ke Serang.\nNomor nenek saya kirim nanti."
    p.get_by_label("Tambah keterangan atau jawab pertanyaan petugas").fill(message)

    def down(self, sql, params=None):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", down)  # the session holding the access is read first
    with p.navigation(status=503):
        p.get_by_role("button", name="Kirim", exact=True).click()
    expect(p.get_by_role("heading", level=1)).to_have_text("Pesan Anda BELUM terkirim")
    expect(p.get_by_role("alert")).to_contain_text("Pesan yang Anda tulis masih ada di bawah")
    expect(p.get_by_label("Tambah keterangan atau jawab pertanyaan petugas")).to_have_value(message)
    p.assert_no_horizontal_scroll()
    p.screenshot("03-message-not-sent")

    monkeypatch.undo()
    with p.navigation(status=200):
        p.get_by_role("button", name="Kirim", exact=True).click()
    expect(p.get_by_text("Anak sudah dibawa neneknya ke Serang.")).to_be_visible()
    # A browser sends a textarea's line breaks as CRLF.
    assert [m.body.replace("\r\n", "\n") for m in ReportMessage.objects.filter(sender="reporter")] == [message]
