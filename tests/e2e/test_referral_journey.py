"""Referral end to end in the browser: the case manager refers a case to the police sharing only the minimum,
the police user sees exactly that, accepts, records a police report number and completes; the case timeline
shows every step; a revoked referral is gone for the partner (404).

Every page is checked by axe (open_page); screenshots land in test-results/screenshots/.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from perisai.accounts.choices import Role
from perisai.cases import services as case_services
from perisai.cases.choices import CaseStatus
from perisai.referrals import services as referral_services
from perisai.referrals.models import Referral
from perisai.referrals.tests.helpers import (
    SECRET_ADDRESS,
    SECRET_CHRONOLOGY,
    SECRET_GUARDIAN,
    SECRET_NAME,
    SECRET_NIK,
    case_with_secrets,
    refer,
)
from tests.e2e.steps import follow, press, section

REASON = "Mohon pendampingan pembuatan laporan polisi dan visum."
LP = "LP/B/456/XI/2026/SPKT Polres Cilegon"


@pytest.fixture
def cast(make_user, police_agency):
    manager = make_user(Role.CASE_MANAGER)
    police = make_user(Role.PARTNER_STAFF, email="polisi-uji@perisai.test")
    case = case_with_secrets(make_user, manager)
    case = case_services.case_transition(actor=manager, case=case, to=CaseStatus.ASSESSMENT, version=case.version)
    return {"manager": manager, "police": police, "case": case, "agency": police_agency}


def test_refer_to_police_with_the_minimum_accept_act_complete_and_revoke(open_page, viewport, cast):
    manager, police, case = cast["manager"], cast["police"], cast["case"]
    number = case.registration_number
    mobile = viewport == "mobile"

    # 1. The case manager refers the case from its page, ticking nothing beyond the minimum.
    cm = open_page(viewport, user=manager)
    cm.visit(reverse("cases:detail", args=[case.public_id]))
    follow(cm, "Rujuk ke instansi mitra", within=section(cm, "Rujukan ke instansi mitra"))
    expect(cm.get_by_role("heading", level=1)).to_have_text("Rujuk ke instansi mitra")
    # Sending without a basis for sharing is refused for a case manager, and nothing typed is lost.
    cm.get_by_label(cast["agency"].name).check()
    cm.get_by_label("Layanan yang diminta").select_option(label="Penegakan Hukum")
    cm.get_by_label("Mendesak").check()
    cm.get_by_label("Alasan dan permintaan").fill(REASON)
    press(cm, "Kirim rujukan", status=400)
    expect(cm.get_by_text("Catat dasar berbagi data atau persetujuan.")).to_be_visible()
    expect(cm.get_by_label("Alasan dan permintaan")).to_have_value(REASON)
    cm.screenshot("01-refer-without-basis")
    cm.get_by_label("Dasar berbagi data").select_option(label="Persetujuan orang tua/wali")
    cm.get_by_label("Keterangan persetujuan").fill("Ibu kandung setuju, lisan, di kantor UPTD PPA.")
    if mobile:
        cm.assert_no_horizontal_scroll()
    cm.screenshot("02-refer-form")
    press(cm, "Kirim rujukan")
    expect(cm.get_by_role("status")).to_contain_text("Rujukan dikirim ke 1 instansi.")
    expect(section(cm, "Rujukan ke instansi mitra")).to_contain_text("Terkirim, menunggu jawaban")
    cm.screenshot("03-case-referred")
    referral = Referral.objects.get(case=case)
    assert referral.shared_items == [] and referral.sharing_basis == "guardian_consent"

    # 2. The police user sees the referral in their inbox, with exactly the minimum.
    pol = open_page(viewport, user=police)
    pol.visit(reverse("portal:staff_home"))
    follow(pol, "Rujukan untuk instansi Anda")
    follow(pol, number)
    shared = section(pol, "Data anak yang dibagikan")
    expect(shared).to_contain_text("S. R. Z.")
    expect(shared).to_contain_text("Seksual")
    page_text = pol.locator("main").inner_text()
    for secret in (SECRET_NAME, SECRET_ADDRESS, SECRET_GUARDIAN, SECRET_NIK, SECRET_CHRONOLOGY, "Rahmawati"):
        assert secret not in page_text, secret
    assert REASON in page_text
    if mobile:
        pol.assert_no_horizontal_scroll()
    pol.screenshot("04-partner-sees-minimum")

    # 3. Accept, record the police report number and stage, complete.
    press(pol, "Terima rujukan")
    expect(pol.get_by_text("Diterima mitra")).to_be_visible()
    action = section(pol, "Catat tindakan")
    action.get_by_label("Tindakan").select_option(label="Laporan polisi dibuat")
    action.get_by_label("Nomor laporan polisi").fill(LP)
    action.get_by_label("Tahap proses hukum").select_option(label="Penyidikan")
    pol.screenshot("05-partner-records-action")
    press(pol, "Simpan tindakan", within=action)
    expect(section(pol, "Percakapan dan tindakan")).to_contain_text(LP)
    done = section(pol, "Selesaikan rujukan")
    done.get_by_label("Hasil").fill("Laporan polisi dibuat; penyidikan berjalan.")
    press(pol, "Selesai", within=done)
    expect(pol.get_by_text("Selesai", exact=True).first).to_be_visible()
    pol.screenshot("06-partner-completed")

    # 4. The case timeline shows every step; the service is on the case.
    cm.visit(reverse("cases:detail", args=[case.public_id]))
    timeline = section(cm, "Riwayat kasus")
    for step in (
        "Dirujuk ke instansi mitra",
        "Rujukan diterima mitra",
        "Mitra mencatat tindakan",
        "Rujukan diselesaikan mitra",
    ):
        expect(timeline).to_contain_text(step)
    expect(section(cm, "Siapa saja yang membuka berkas ini")).to_contain_text(police.full_name)
    # The police's number and stage are on the case's legal track, attributed to them.
    legal = section(cm, "Korban").locator("ul.legal-track")
    expect(legal).to_contain_text(f"Penyidikan · laporan polisi {LP}")
    expect(legal).to_contain_text(police.full_name)
    cm.screenshot("07-case-timeline")

    # 5. A second referral is revoked: the police user's link now answers 404.
    second = refer(manager, case, cast["agency"])
    pol.visit(reverse("referrals:detail", args=[second.public_id]))
    cm.visit(reverse("referrals:detail", args=[second.public_id]))
    revoke = section(cm, "Cabut rujukan")
    revoke.get_by_label("Alasan pencabutan").fill("Wali mencabut persetujuan berbagi data.")
    press(cm, "Cabut rujukan", within=revoke)
    expect(cm.get_by_text("Dicabut", exact=True)).to_be_visible()
    cm.screenshot("08-revoked")
    pol.visit(reverse("referrals:detail", args=[second.public_id]), status=404)
    pol.screenshot("09-partner-after-revocation")
    assert referral_services.partner_staff(cast["agency"]).filter(pk=police.pk).exists()
