"""Outreach operations, coordination meetings and a partner's hand-over, in the browser (axe on every page)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from perisai.accounts.choices import Role
from perisai.meetings import services as meeting_services
from perisai.outreach import services as outreach_services
from perisai.regions.selectors import kecamatan_of_city


@pytest.fixture
def people(make_user, police_agency):
    return {
        "officer": make_user(Role.INTAKE_OFFICER),
        "supervisor": make_user(Role.SUPERVISOR),
        "police": make_user(Role.PARTNER_STAFF),
        "agency": police_agency,
    }


def test_an_outreach_child_becomes_a_report_with_one_click(open_page, viewport, people):
    operation = outreach_services.outreach_record(
        actor=people["officer"],
        held_on=timezone.localdate() - dt.timedelta(days=7),
        kecamatan=kecamatan_of_city().first(),
        location="Simpang lampu merah Jombang",
        agencies=[people["agency"]],
        team="4 petugas",
    )
    for name, situation in (("R.", "begging"), ("S.", "working")):
        outreach_services.outreach_child_add(
            actor=people["officer"], operation=operation, name=name, estimated_age=10, situation=situation
        )
    p = open_page(viewport, user=people["officer"])
    p.visit(reverse("outreach:detail", args=[operation.public_id]))
    with p.navigation():
        p.get_by_role("button", name="Jadikan laporan").first.click()
    expect(p.get_by_role("status")).to_contain_text("dibuat di kotak masuk")
    expect(p.get_by_role("table", name="Anak yang ditemui")).to_contain_text("Laporan LPR-")
    if viewport == "mobile":
        p.assert_no_horizontal_scroll()
    p.screenshot("operation")
    # The form that records an operation: a bad date keeps what was typed and says why next to the field.
    p.visit(reverse("outreach:create"))
    p.get_by_label("Lokasi").fill("Pasar Kranggot")
    p.get_by_label("Tanggal operasi").fill("")
    with p.navigation(status=400):
        p.get_by_role("button", name="Simpan").click()
    expect(p.get_by_label("Lokasi")).to_have_value("Pasar Kranggot")
    p.screenshot("operation-form-errors")


def test_a_meeting_and_the_partners_view_of_its_action_items(open_page, viewport, people):
    meeting = meeting_services.meeting_record(
        actor=people["supervisor"],
        held_on=timezone.localdate() - dt.timedelta(days=12),
        title="Rakor PPA November",
        agencies=[people["agency"]],
    )
    meeting_services.meeting_item_add(
        actor=people["supervisor"],
        meeting=meeting,
        agency=people["agency"],
        description="Laporkan perkembangan penyidikan 001/UPTD-PPA/XI/2026",
        due_on=timezone.localdate() - dt.timedelta(days=5),  # overdue on any day the test runs
    )
    office = open_page(viewport, user=people["supervisor"])
    office.visit(reverse("meetings:create"))
    office.get_by_label("Judul").fill("Rakor Desember")
    office.get_by_label("Kasus yang dibahas").fill("999/UPTD-PPA/XII/2026")
    with office.navigation(status=400):
        office.get_by_role("button", name="Simpan").click()
    expect(office.get_by_text("Nomor registrasi tidak ditemukan: 999/UPTD-PPA/XII/2026")).to_be_visible()
    expect(office.get_by_label("Judul")).to_have_value("Rakor Desember")
    office.screenshot("meeting-form-errors")
    p = open_page(viewport, user=people["police"])
    p.visit(reverse("meetings:detail", args=[meeting.public_id]))
    expect(p.get_by_text("Terlambat")).to_be_visible()
    p.screenshot("meeting-partner")
    with p.navigation():
        p.get_by_role("button", name="Tandai selesai").click()
    expect(p.get_by_role("table", name="Tindak lanjut")).to_contain_text("Selesai")
    p.visit(reverse("referrals:refer_in"))
    expect(p.get_by_role("heading", level=1)).to_have_text("Rujuk anak ke UPTD PPA")
    p.screenshot("refer-in")
    p.visit(reverse("portal:notifications"))
    expect(p.locator("main")).to_contain_text("Tindak lanjut rapat koordinasi untuk instansi Anda")
    p.screenshot("notifications")
