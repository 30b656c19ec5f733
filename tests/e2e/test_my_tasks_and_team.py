"""A case worker's day from "Tugas saya", and the supervisor handing a case over from the team page, in the
browser. Every page is checked by axe (open_page)."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from perisai.accounts.choices import Role
from perisai.cases import services as case_services
from perisai.cases.models import Case
from perisai.cases.tests.factories import open_case, plan_item
from tests.e2e.steps import follow, press, section


def test_my_tasks_then_the_team_page(open_page, viewport, make_user):
    manager, other, supervisor = make_user(Role.CASE_MANAGER), make_user(Role.CASE_MANAGER), make_user(Role.SUPERVISOR)
    case = open_case(make_user, manager=manager)
    case_services.task_add(
        actor=manager, case=case, title="Kunjungan rumah", due_at=timezone.now() - dt.timedelta(hours=2)
    )

    cm = open_page(viewport, user=manager)
    cm.visit(reverse("portal:staff_home"))
    follow(cm, "Tugas saya")
    tasks = section(cm, "5 tugas terbuka")
    first = tasks.get_by_role("listitem").first
    expect(first).to_contain_text("Kunjungan rumah")
    expect(first).to_contain_text("Terlambat")
    cm.screenshot("01-my-tasks")
    # The button names its task and case for screen readers ("Tandai selesai: Kunjungan rumah, 001/…").
    with cm.navigation():
        first.get_by_role("button", name=re.compile(r"^Tandai selesai.*Kunjungan rumah")).click()
    expect(cm.get_by_role("status")).to_contain_text("Tugas selesai.")
    assessment = section(cm, "4 tugas terbuka").get_by_role("listitem").filter(has_text="Asesmen bio-psiko-sosial")
    assessment.locator("summary").click()
    assessment.get_by_label("Tunda sampai").fill(f"{timezone.localtime() + dt.timedelta(days=2):%Y-%m-%dT%H:%M}")
    assessment.get_by_label("Alasan").fill("Menunggu hasil visum")
    cm.screenshot("02-snooze")
    press(cm, "Simpan", within=assessment)
    expect(section(cm, "Ditunda")).to_contain_text("Menunggu hasil visum")
    cm.screenshot("03-snoozed")

    sv = open_page(viewport, user=supervisor)
    sv.visit(reverse("portal:staff_home"))
    follow(sv, "Tim dan beban kerja")
    expect(sv.get_by_role("table", name="Beban kerja per petugas")).to_contain_text(manager.full_name)
    cases = section(sv, manager.full_name)
    cases.get_by_label(f"Serahkan kepada ({case.registration_number})").select_option(label=other.full_name)
    sv.screenshot("04-team")
    press(sv, "Serahkan", within=cases)
    expect(sv.get_by_role("status")).to_contain_text(f"diserahkan kepada {other.full_name}")
    expect(section(sv, other.full_name)).to_contain_text(case.registration_number)
    sv.screenshot("05-handed-over")
    assert Case.objects.get(pk=case.pk).case_manager == other


def test_the_supervisor_is_told_a_plan_waits_and_chooses_her_emails(open_page, viewport, make_user):
    manager, supervisor = make_user(Role.CASE_MANAGER), make_user(Role.SUPERVISOR)
    case = open_case(make_user, manager=manager)
    Case.objects.filter(pk=case.pk).update(status="rencana")
    case.refresh_from_db()
    plan_item(manager, case)

    cm = open_page(viewport, user=manager)
    cm.visit(reverse("cases:detail", args=[case.public_id]))
    workflow = section(cm, "Langkah berikutnya")
    workflow.get_by_label("Catatan untuk supervisor").fill("Visum dan konseling.")
    press(cm, "Minta persetujuan rencana intervensi", within=workflow)

    sv = open_page(viewport, user=supervisor)
    sv.visit(reverse("portal:notifications"))
    notice = f"Rencana intervensi kasus {case.registration_number} menunggu persetujuan Anda."
    expect(sv.get_by_role("link", name=notice)).to_be_visible()
    sv.screenshot("01-notices")
    follow(sv, notice)
    expect(section(sv, "Langkah berikutnya")).to_contain_text("Menunggu persetujuan")
    sv.visit(reverse("portal:notifications"))
    follow(sv, "Pilih pemberitahuan yang juga dikirim lewat e-mail")
    sv.get_by_label("Rapat koordinasi dan tindak lanjutnya").uncheck()
    sv.screenshot("02-email-settings")
    press(sv, "Simpan")
    expect(sv.get_by_role("status")).to_contain_text("Pengaturan pemberitahuan disimpan.")
