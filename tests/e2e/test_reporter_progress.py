"""A reporter follows their report: the receipt's promise at night, and the steps on the status page once a case
was opened and a partner works on it. Cheap phone without JavaScript, and a desktop.

Every page is checked by axe (open_page); screenshots land in test-results/screenshots/.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo

import time_machine
from django.urls import reverse
from playwright.sync_api import expect

from perisai.accounts.choices import Role
from perisai.cases import services as case_services
from perisai.referrals.tests.helpers import refer
from perisai.reports import services as report_services
from tests.e2e.test_lapor_journey import STORY, fill_bu_sri_report, submit_button

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
SENT = dt.datetime(2026, 12, 7, 22, 30, tzinfo=WIB)  # a Monday night
OPENED = dt.datetime(2026, 12, 8, 8, 10, tzinfo=WIB)
REFERRED = dt.datetime(2026, 12, 9, 10, 15, tzinfo=WIB)
QUESTION = "Terima kasih. Apakah anak masih tinggal di rumah itu?"


def test_a_report_at_night_is_promised_the_next_morning_and_the_numbers_to_call_now(open_page):
    p = open_page("mobile", javascript=False)
    with time_machine.travel(SENT, tick=True):  # the live server runs in this process: it is 22:30 there too
        p.visit(reverse("reports_public:form"))
        fill_bu_sri_report(p)  # urgent: the child is in danger now
        with p.navigation(status=201):
            submit_button(p).click()
    expect(p.get_by_role("link", name="110 Polisi")).to_have_attribute("href", "tel:110")
    expect(p.get_by_text("kantor sedang tutup", exact=False)).to_be_visible()
    expect(p.get_by_text("besok pagi, Selasa, 8 Desember 2026, sejak kantor buka pukul 07.30 WIB")).to_be_visible()
    p.assert_no_horizontal_scroll()
    p.screenshot("receipt-at-night")


def _report_with_a_partner(make_user, police_agency):
    token = str(uuid.uuid4())
    fields = {"harms": ["hit"], "narrative": STORY, "reporter_anonymous": True, "child_age": 9}
    with time_machine.travel(SENT, tick=False):
        submission = report_services.report_submit(actor=None, fields=fields, token=token)
    officer, manager = make_user(Role.INTAKE_OFFICER), make_user(Role.CASE_MANAGER)
    with time_machine.travel(OPENED, tick=False):
        case = case_services.case_open_from_report(
            actor=officer, report=submission.report, risk="tinggi", authority="kota", case_manager=manager
        )
        report_services.report_message_from_staff(actor=officer, report=submission.report, body=QUESTION)
    with time_machine.travel(REFERRED, tick=False):
        refer(manager, case, police_agency)
    return submission


def test_the_reporter_sees_the_steps_without_any_detail_of_the_case(open_page, viewport, make_user, police_agency):
    submission = _report_with_a_partner(make_user, police_agency)
    p = open_page(viewport, javascript=viewport == "desktop")
    p.visit(reverse("reports_public:check"))
    p.get_by_label("Kode laporan").fill(submission.report.tracking_code)
    p.get_by_label("PIN").fill(submission.pin)
    with p.navigation():
        p.get_by_role("button", name="Lihat laporan").click()
    expect(p.get_by_text("Laporan Anda sedang ditangani bersama instansi mitra.")).to_be_visible()
    steps = p.get_by_role("list", name="Tahap penanganan").get_by_role("listitem")
    expect(steps).to_have_count(4)
    expect(steps.nth(0)).to_contain_text("7 Desember 2026, 22.30 WIB")
    expect(steps.nth(1)).to_contain_text("8 Desember 2026, 08.10 WIB")
    expect(steps.nth(2)).to_contain_text("Dirujuk ke mitra")
    expect(steps.nth(2)).to_have_attribute("aria-current", "step")
    expect(steps.nth(3)).to_contain_text("Selesai")
    expect(p.get_by_text(QUESTION)).to_be_visible()
    expect(p.locator("main")).not_to_contain_text(police_agency.name)
    p.assert_no_horizontal_scroll()
    p.screenshot("status")
