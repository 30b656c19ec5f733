"""After triage, in the browser: the case manager corrects the incident's facts; a supervisor restricts the case
with a reason; another supervisor must open it with break-the-glass, and both reasons show where the case's
history and its readers are listed. Every page is checked by axe (open_page)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from perisai.accounts.choices import Role
from perisai.cases.models import Case
from perisai.cases.tests.factories import open_case
from perisai.core.testing import shown_date
from tests.e2e.steps import follow, press, section

RESTRICT_REASON = "Terduga pelaku adalah ipar seorang petugas kantor."
EMERGENCY_REASON = "Pendamping cuti, anak perlu dijemput ke rumah aman malam ini."
CHRONOLOGY = "Kejadian di sekolah saat jam istirahat, diperbaiki setelah asesmen."


def test_facts_corrected_then_restricted_then_opened_in_an_emergency(open_page, viewport, make_user):
    manager, supervisor, colleague = (
        make_user(Role.CASE_MANAGER),
        make_user(Role.SUPERVISOR),
        make_user(Role.SUPERVISOR),
    )
    case = open_case(make_user, manager=manager)
    incident = timezone.localdate() - dt.timedelta(days=12)

    cm = open_page(viewport, user=manager)
    cm.visit(reverse("cases:detail", args=[case.public_id]))
    expect(section(cm, "Ringkasan")).to_contain_text("Belum diketahui")
    follow(cm, "Perbaiki fakta kejadian (tanggal, tempat, lokasi, kronologi)")
    expect(cm.get_by_role("heading", level=1)).to_have_text("Fakta kejadian")
    cm.get_by_label("Tanggal kejadian").fill(incident.isoformat())
    cm.get_by_label("Tempat kejadian").select_option(label="Sekolah")
    cm.get_by_label("Kecamatan kejadian").select_option(label="Jombang")
    cm.get_by_label("Kelurahan kejadian").select_option(label="Masigit")
    cm.get_by_label("Kronologi").fill(CHRONOLOGY)
    cm.screenshot("01-facts-form")
    press(cm, "Simpan")
    summary = section(cm, "Ringkasan")
    expect(summary).to_contain_text(shown_date(incident))
    expect(summary).to_contain_text("Masigit, Jombang")
    expect(summary).to_contain_text(CHRONOLOGY)
    cm.screenshot("02-facts-saved")

    sv = open_page(viewport, user=supervisor)
    sv.visit(reverse("cases:detail", args=[case.public_id]))
    restrict = section(sv, "Akses terbatas")
    restrict.get_by_label("Alasan").fill("pendek")
    press(sv, "Batasi akses kasus", within=restrict, status=400)
    expect(section(sv, "Akses terbatas")).to_contain_text("paling sedikit 10 karakter")
    section(sv, "Akses terbatas").get_by_label("Alasan").fill(RESTRICT_REASON)
    sv.screenshot("03-restrict")
    press(sv, "Batasi akses kasus", within=section(sv, "Akses terbatas"))
    expect(sv.get_by_role("status")).to_contain_text("kini terbatas")
    assert Case.objects.get(pk=case.pk).restricted

    other = open_page(viewport, user=colleague)
    other.visit(reverse("cases:detail", args=[case.public_id]))
    other.get_by_label("Sandi").fill(PASSWORD)  # an emergency opening asks for the password first
    other.screenshot("04-password-again")
    press(other, "Konfirmasi")
    expect(other.get_by_role("heading", level=1)).to_have_text("Berkas ini terbatas")
    other.get_by_label("Mengapa Anda perlu membuka berkas ini sekarang?").fill(EMERGENCY_REASON)
    press(other, "Buka dengan akses darurat")
    # The restriction's reason is for those who work the case (it may name a colleague); the emergency's is not.
    expect(section(other, "Riwayat kasus")).not_to_contain_text(RESTRICT_REASON)
    expect(section(other, "Riwayat kasus")).to_contain_text(f"Alasan: {EMERGENCY_REASON}")
    expect(section(other, "Siapa saja yang membuka berkas ini")).to_contain_text(EMERGENCY_REASON)
    other.screenshot("05-opened-in-an-emergency")
    cm.visit(reverse("cases:detail", args=[case.public_id]))
    expect(section(cm, "Riwayat kasus")).to_contain_text(f"Alasan: {RESTRICT_REASON}")
