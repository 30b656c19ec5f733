"""An old report from the paper register, typed in by an intake officer in the browser: a date weeks back is
questioned next to the box, ticking "dicatat belakangan" records it; triage registers the case on that day with a
number of that year, and no task is late. A supervisor moves a case typed in without the box to its real date."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from perisai.accounts.choices import Role
from perisai.cases.models import Case
from perisai.cases.tests.factories import open_case
from perisai.reports.models import Report
from tests.e2e.steps import press, section

OLD = dt.datetime(2024, 3, 10, 9, 30)


def test_an_old_report_is_typed_in_and_triaged_on_its_real_date(open_page, viewport, make_user):
    officer, supervisor = make_user(Role.INTAKE_OFFICER), make_user(Role.SUPERVISOR)
    page = open_page(viewport, user=officer)
    page.visit(reverse("reports:intake"))
    page.get_by_label("Saluran pengaduan").select_option(label="Datang langsung")
    page.get_by_label("Waktu laporan diterima").fill(OLD.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Dipukul, ditendang, dicubit keras, atau dilukai").check()
    page.get_by_label("Cerita pelapor").fill("Dari buku register 2024: anak dipukul ayah tirinya.")
    page.get_by_label("Alamat atau patokan").fill("Dekat pasar")
    press(page, "Simpan laporan", status=400)
    box = page.get_by_label("Laporan lama yang dicatat belakangan")
    expect(page.locator("main")).to_contain_text("lebih dari 7 hari yang lalu")
    expect(page.get_by_label("Cerita pelapor")).to_have_value("Dari buku register 2024: anak dipukul ayah tirinya.")
    page.screenshot("01-asked-to-confirm")
    box.check()
    press(page, "Simpan laporan")
    report = Report.objects.get()
    assert report.entered_after_fact and timezone.localtime(report.received_at).replace(tzinfo=None) == OLD
    expect(page.locator("body")).not_to_contain_text("Terlambat")

    page.visit(reverse("cases:triage", args=[report.public_id]))
    press(page, "Buka kasus", within=section(page, "Buka kasus baru"))
    case = Case.objects.get(reports=report)
    assert case.year == 2024 and "/III/2024" in case.registration_number
    assert not case.tasks.filter(done_at__isnull=True).exists()

    boss = open_page(viewport, user=supervisor)
    boss.visit(reverse("cases:detail", args=[case.public_id]))
    expect(section(boss, "Ringkasan")).to_contain_text("Dicatat belakangan")
    expect(boss.locator("body")).not_to_contain_text("Terlambat")
    boss.screenshot("02-case")


def test_a_supervisor_moves_a_case_to_its_real_report_date(open_page, viewport, make_user):
    supervisor = make_user(Role.SUPERVISOR)
    case = open_case(make_user)
    page = open_page(viewport, user=supervisor)
    page.visit(reverse("cases:detail", args=[case.public_id]))
    page.get_by_text("Laporan lama yang dicatat belakangan?").click()
    field = page.get_by_label("Tanggal laporan sebenarnya diterima kantor")
    field.fill((timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"))
    press(page, "Pindahkan ke tanggal laporan sebenarnya", status=400)
    expect(page.locator("form").filter(has_text="Tanggal laporan sebenarnya")).to_contain_text("masa depan")
    page.screenshot("01-refused")
    page.get_by_label("Tanggal laporan sebenarnya diterima kantor").fill(OLD.strftime("%Y-%m-%dT%H:%M"))
    press(page, "Pindahkan ke tanggal laporan sebenarnya")
    moved = Case.objects.get(pk=case.pk)
    expect(page.get_by_role("status")).to_contain_text(moved.registration_number)
    assert "/III/2024" in moved.registration_number
    page.screenshot("02-moved")
