"""Case management end to end, as the demo roles do it in the browser: a report is triaged into a case,
the case manager assesses, plans and serves, the supervisor approves the plan and the closure, and the
case file shows every step and everyone who opened it. Only the initial report is created in Python.

Every page is checked by axe (open_page); screenshots land in test-results/screenshots/.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from perisai.accounts import services as account_services
from perisai.accounts.choices import AgencyKind, Role
from perisai.audit.choices import AuditAction
from perisai.audit.models import AuditEvent
from perisai.cases import services as case_services
from perisai.cases.choices import ApprovalDecision, CaseStatus
from perisai.cases.models import Case
from perisai.cases.tests.factories import plan_item
from perisai.core.testing import shown_date
from perisai.regions.models import Region
from perisai.reports.services import report_submit
from tests.e2e.steps import follow, press, section

JOMBANG, MASIGIT = "36.72.05", "36.72.05.1003"
CHILD = "Melati"
NIK = "3672014505120001"  # encodes 05-05-2012, a girl (day + 40)
BIRTH_DATE = "2012-05-05"
PLAN_NOTE = "Visum di RSUD, pendampingan psikologis 4 sesi, rumah aman bila paman masih di rumah."
PLAN_COMMENT = "Setuju. Prioritaskan visum minggu ini."
BASIS_NOTE = "Ibu kandung memberi persetujuan lisan di kantor UPTD PPA, disaksikan pendamping."
POLICE_NOTE = "LP/B/123/V/2026/SPKT Polres Cilegon"
SERVICE_OUTCOME = "Visum et repertum selesai, hasil diserahkan ke penyidik."
RISK_REASONS = "Paman masih tinggal di rumah yang sama; ibu melindungi anak."
CHILD_VIEW = "Ingin tetap sekolah dan tidak bertemu paman."
PLAN_NEED = "Pemulihan trauma: anak sulit tidur"
CLOSURE_NOTE = "Layanan selesai, anak kembali bersekolah, kasus dilanjutkan oleh penyidik."
CLOSURE_COMMENT = "Terminasi disetujui."
PARTNER = "RSUD Kota Cilegon"


def _report(*, child_name: str, **fields):
    """A web report as the public form makes it (sexual harm, so the TPKS police-report task applies)."""
    base = {
        "urgent": False,
        "harms": ["touched"],
        "narrative": "Anak dipegang-pegang pamannya di teras rumah, sudah beberapa kali.",
        "reporter_anonymous": True,
        "child_name": child_name,
        "child_age": 12,
        "child_sex": "p",
        "kecamatan": Region.objects.get(code=JOMBANG),
        "kelurahan": Region.objects.get(code=MASIGIT),
    }
    base.update(fields)
    return report_submit(actor=None, fields=base, token=str(uuid.uuid4())).report


@pytest.fixture
def cast(make_user):
    """The demo roles of the office, a partner hospital, and the report waiting in the inbox."""
    officer = make_user(Role.INTAKE_OFFICER)
    manager = make_user(Role.CASE_MANAGER)
    supervisor = make_user(Role.SUPERVISOR)
    partner = account_services.agency_save(actor=None, name=PARTNER, kind=AgencyKind.HEALTH)
    # An older case in the same kelurahan (another child): triage must show it as a possible duplicate.
    earlier = case_services.case_open_from_report(
        actor=officer, report=_report(child_name="Dewi"), risk="sedang", authority="kota"
    )
    report = _report(child_name=CHILD)
    return {
        "officer": officer,
        "manager": manager,
        "supervisor": supervisor,
        "partner": partner,
        "earlier": earlier,
        "report": report,
    }


# --- Helpers -------------------------------------------------------------------------------------------


def case_status(p):
    return (
        section(p, "Ringkasan")
        .locator("dt", has_text=re.compile(r"^Status$"))
        .locator("xpath=following-sibling::dd[1]")
    )


def expect_message(p, text: str) -> None:
    expect(p.get_by_role("status")).to_contain_text(text)


def open_case_from_list(p, number: str) -> None:
    follow(p, number, within=p.get_by_role("table", name="Daftar kasus"))
    expect(p.get_by_role("heading", level=1)).to_have_text(f"Kasus {number}")


# --- The journey ---------------------------------------------------------------------------------------


def test_case_from_triage_to_closure(open_page, viewport, cast):
    officer, manager, supervisor = cast["officer"], cast["manager"], cast["supervisor"]
    report = cast["report"]
    mobile = viewport == "mobile"

    # 1. Intake officer: inbox -> report -> triage -> new case, high risk, assigned to the case manager.
    intake = open_page(viewport, user=officer)
    intake.visit(reverse("reports:inbox"))
    intake.screenshot("01-inbox")
    follow(intake, report.tracking_code)
    expect(intake.get_by_role("heading", level=1)).to_contain_text(report.tracking_code)
    intake.screenshot("02-report")
    follow(intake, "Triase: buka kasus, gabungkan, atau tutup")
    expect(intake.get_by_role("heading", level=1)).to_have_text(f"Triase laporan {report.tracking_code}")
    duplicates = section(intake, "Mungkin sudah ada kasusnya")
    expect(duplicates).to_contain_text(cast["earlier"].registration_number)
    expect(duplicates).to_contain_text("kelurahan sama dalam 60 hari terakhir")
    expect(duplicates.get_by_role("button", name="Gabungkan ke kasus ini")).to_be_visible()
    new_case = section(intake, "Buka kasus baru")
    new_case.get_by_label("Tingkat risiko").select_option(label="Tinggi")
    new_case.get_by_label("Pendamping").select_option(label=manager.full_name)
    intake.screenshot("03-triage")
    # Both reports are now in cases, so the inbox the officer lands on is empty (and must still pass axe).
    press(intake, "Buka kasus", within=new_case)
    # The intake officer triages but does not read case files: back to the inbox.
    assert intake.url.endswith(reverse("reports:inbox"))
    case = Case.objects.get(reports=report)
    number = case.registration_number
    expect_message(intake, f"Kasus {number} dibuka.")
    intake.screenshot("04-case-opened")
    assert (case.risk, case.case_manager) == ("tinggi", manager)

    # 2. Case manager: "Kasus saya" -> the case -> assessment -> plan, lawful basis, victim details, approval.
    cm = open_page(viewport, user=manager)
    cm.visit(reverse("portal:staff_home"))
    follow(cm, "Kasus saya")
    expect(cm.get_by_role("heading", level=1)).to_have_text("Kasus saya")
    cases_table = cm.get_by_role("table", name="Daftar kasus")
    expect(cases_table.get_by_role("row")).to_have_count(2)  # the header and this one case only
    expect(cases_table).to_contain_text("Tinggi")
    if mobile:
        cm.assert_no_horizontal_scroll()
    cm.screenshot("05-my-cases")
    open_case_from_list(cm, number)
    expect(case_status(cm)).to_have_text("Baru")
    expect(section(cm, "Tugas dan tenggat")).to_contain_text("Laporkan ke polisi (UU TPKS Pasal 41, 3×24 jam)")
    if mobile:
        cm.assert_no_horizontal_scroll()
    cm.screenshot("06-case-new")

    press(cm, "Mulai asesmen")
    expect(case_status(cm)).to_have_text("Asesmen")
    cm.screenshot("07-assessment")
    follow(cm, f"Isi asesmen ({CHILD})", within=section(cm, "Korban"))
    cm.get_by_label("Tingkat risiko dan keselamatan").select_option(label="Sedang")
    cm.get_by_label("Alasan tingkat risiko").fill(RISK_REASONS)
    cm.get_by_label("Pandangan dan keinginan anak sendiri").fill(CHILD_VIEW)
    cm.screenshot("07b-assessment-form")
    press(cm, "Simpan")
    expect_message(cm, "Asesmen disimpan.")
    expect(section(cm, "Korban")).to_contain_text(RISK_REASONS)
    expect(section(cm, "Ringkasan")).to_contain_text("Sedang")  # the assessment sets the case's risk
    press(cm, "Susun rencana intervensi")
    expect(case_status(cm)).to_have_text("Rencana Intervensi")
    expect(cm.get_by_role("button", name="Mulai layanan (rencana disetujui)")).to_have_count(0)
    cm.screenshot("08-plan")

    basis = section(cm, "Dasar pemrosesan data (UU PDP)")
    expect(basis).to_contain_text("Belum dicatat.")
    basis.get_by_label("Dasar pemrosesan data anak").select_option(label="Persetujuan orang tua/wali")
    basis.get_by_label("Keterangan (siapa memberi persetujuan, kapan, bagaimana)").fill(BASIS_NOTE)
    press(cm, "Simpan dasar pemrosesan", within=basis)
    expect(section(cm, "Dasar pemrosesan data (UU PDP)")).to_contain_text("Persetujuan orang tua/wali — dicatat")
    cm.screenshot("09-lawful-basis")

    victims = section(cm, "Korban")
    expect(victims).to_contain_text(CHILD)
    follow(cm, "Ubah data korban", within=victims)
    expect(cm.get_by_role("heading", level=1)).to_have_text("Data korban")
    expect(cm.get_by_label("Nama")).to_have_value(CHILD)
    cm.get_by_label("NIK").fill(NIK)
    cm.get_by_label("Tanggal lahir").fill(BIRTH_DATE)
    if mobile:
        cm.assert_no_horizontal_scroll()
    cm.screenshot("10-victim-form")
    press(cm, "Simpan")
    expect_message(cm, "Tersimpan.")
    expect(section(cm, "Korban")).to_contain_text(NIK)
    cm.screenshot("11-victim-saved")

    follow(cm, "Tambah butir rencana", within=section(cm, "Rencana intervensi"))
    cm.get_by_label("Korban").select_option(label=CHILD)
    cm.get_by_label("Kebutuhan").fill(PLAN_NEED)
    cm.get_by_label("Jenis layanan (SIMFONI)").select_option(label="Pendampingan psikologis")
    cm.get_by_label("Pemberi layanan").select_option(label="DP3AP2KB Uji")
    cm.get_by_label("Petugas penanggung jawab").select_option(label=manager.full_name)
    cm.screenshot("11b-plan-item")
    press(cm, "Simpan")
    expect(section(cm, "Rencana intervensi")).to_contain_text(PLAN_NEED)

    workflow = section(cm, "Langkah berikutnya")
    workflow.get_by_label("Catatan untuk supervisor").fill(PLAN_NOTE)
    press(cm, "Minta persetujuan rencana intervensi", within=workflow)
    workflow = section(cm, "Langkah berikutnya")
    expect(workflow).to_contain_text("Menunggu persetujuan: Rencana intervensi")
    expect(workflow).to_contain_text(PLAN_NOTE)
    expect(workflow.get_by_role("button", name="Simpan keputusan")).to_have_count(0)  # not theirs to decide
    cm.screenshot("12-plan-requested")

    # 3. Supervisor: all cases -> the case -> approves the plan with a comment.
    sv = open_page(viewport, user=supervisor)
    sv.visit(reverse("cases:list"))  # no case of their own yet: an empty "Kasus saya"
    follow(sv, "Lihat semua kasus yang dapat Anda buka")
    expect(sv.get_by_role("heading", level=1)).to_have_text("Semua kasus yang dapat Anda buka")
    sv.screenshot("13-all-cases")
    open_case_from_list(sv, number)
    pending = section(sv, "Langkah berikutnya")
    expect(pending).to_contain_text(PLAN_NOTE)
    pending.get_by_role("group", name="Keputusan").get_by_label("Setujui").check()
    pending.get_by_label("Komentar").fill(PLAN_COMMENT)
    sv.screenshot("14-plan-decision")
    press(sv, "Simpan keputusan", within=pending)
    expect(section(sv, "Langkah berikutnya")).not_to_contain_text("Menunggu persetujuan")
    sv.screenshot("15-plan-approved")

    # 4. Case manager: service starts, a partner's service, the TPKS police task, closure requested.
    cm.visit(reverse("cases:detail", args=[case.public_id]))
    press(cm, "Mulai layanan (rencana disetujui)")
    expect(case_status(cm)).to_have_text("Layanan")
    cm.screenshot("16-service")

    follow(cm, "Catat layanan", within=section(cm, "Korban"))
    expect(cm.get_by_role("heading", level=1)).to_have_text("Layanan untuk korban")
    cm.get_by_label("Korban").select_option(label=CHILD)
    cm.get_by_label("Jenis layanan").select_option(label="Kesehatan")
    cm.get_by_label("Pemberi layanan").select_option(label=PARTNER)
    delivered = timezone.localdate()
    cm.get_by_label("Diberikan").fill(delivered.isoformat())
    cm.get_by_label("Hasil").fill(SERVICE_OUTCOME)
    if mobile:
        cm.assert_no_horizontal_scroll()
    cm.screenshot("17-service-form")
    press(cm, "Simpan")
    expect_message(cm, "Tersimpan.")
    expect(section(cm, "Korban").get_by_role("listitem").filter(has_text="Kesehatan")).to_contain_text(
        f"Kesehatan — {PARTNER} · diberikan {shown_date(delivered)}"
    )
    cm.screenshot("18-service-recorded")

    police_task = section(cm, "Tugas dan tenggat").get_by_role("listitem").filter(has_text="Laporkan ke polisi")
    police_task.get_by_text("Tandai selesai", exact=True).click()  # each task's form folds open
    police_task.get_by_label("Hasil").select_option(label="Polisi sudah menerima laporan sebelumnya")
    police_task.get_by_label("Catatan").fill(POLICE_NOTE)
    press(cm, "Simpan", within=police_task)
    expect_message(cm, "Tugas selesai.")
    police_task = section(cm, "Tugas dan tenggat").get_by_role("listitem").filter(has_text="Laporkan ke polisi")
    expect(police_task).to_contain_text("Selesai")
    expect(police_task).to_contain_text(POLICE_NOTE)
    cm.screenshot("19-police-task-done")

    workflow = section(cm, "Langkah berikutnya")
    for item in (
        "Tujuan rencana intervensi tercapai",
        "Semua rujukan selesai atau dicabut",
        "Proses hukum sudah jelas: selesai, dilanjutkan penyidik, atau tidak ditempuh",
        "Tindak lanjut sesudah kasus ditutup sudah diatur (misalnya pemantauan oleh PATBM)",
    ):
        workflow.get_by_label(item).check()
    workflow.get_by_label("Catatan untuk supervisor").fill(CLOSURE_NOTE)
    press(cm, "Minta persetujuan terminasi", within=workflow)
    expect(section(cm, "Langkah berikutnya")).to_contain_text("Menunggu persetujuan: Terminasi")
    cm.screenshot("20-closure-requested")

    # 5. Supervisor approves the closure; the case manager closes the case.
    sv.visit(reverse("cases:detail", args=[case.public_id]))
    pending = section(sv, "Langkah berikutnya")
    expect(pending).to_contain_text(CLOSURE_NOTE)
    pending.get_by_role("group", name="Keputusan").get_by_label("Setujui").check()
    pending.get_by_label("Komentar").fill(CLOSURE_COMMENT)
    press(sv, "Simpan keputusan", within=pending)
    sv.screenshot("21-closure-approved")

    cm.visit(reverse("cases:detail", args=[case.public_id]))
    press(cm, "Tutup kasus (terminasi disetujui)")
    expect(case_status(cm)).to_have_text("Terminasi (ditutup)")
    expect(section(cm, "Langkah berikutnya").get_by_role("button")).to_have_count(0)

    # Every step, in order, by whom. The details in brackets (statuses, decisions) are compared loosely, so
    # that rewording them does not break the journey.
    timeline = section(cm, "Riwayat kasus").get_by_role("listitem").all_inner_texts()
    events = [re.sub(r"^\d\d \w+ \d{4} \d\d:\d\d — ", "", text) for text in timeline]
    steps = [re.sub(r" \(.*\)(?= · )", "", event) for event in events]
    by = {"officer": officer.full_name, "manager": manager.full_name, "supervisor": supervisor.full_name}
    assert steps == [
        f"Kasus dibuka · {by['officer']}",
        f"Pendamping ditetapkan · {by['officer']}",
        f"Status kasus diubah · {by['manager']}",  # baru -> asesmen
        f"Data kasus diubah · {by['manager']}",  # the assessment
        f"Status kasus diubah · {by['manager']}",  # asesmen -> rencana
        f"Dasar hukum / persetujuan dicatat · {by['manager']}",
        f"Data kasus diubah · {by['manager']}",  # the victim's NIK and birth date
        f"Data kasus diubah · {by['manager']}",  # the plan's item
        f"Persetujuan supervisor diminta · {by['manager']}",  # the plan
        f"Persetujuan supervisor diputuskan · {by['supervisor']}",
        f"Status kasus diubah · {by['manager']}",  # rencana -> layanan
        f"Data kasus diubah · {by['manager']}",  # the partner's service
        f"Data kasus diubah · {by['manager']}",  # the TPKS police-report task
        f"Persetujuan supervisor diminta · {by['manager']}",  # the closure
        f"Persetujuan supervisor diputuskan · {by['supervisor']}",
        f"Status kasus diubah · {by['manager']}",  # layanan -> terminasi
    ], events
    transitions = [event.lower() for event in events if event.startswith("Status kasus diubah")]
    for event, (frm, to) in zip(
        transitions,
        [("baru", "asesmen"), ("asesmen", "rencana"), ("rencana", "layanan"), ("layanan", "terminasi")],
        strict=True,
    ):
        assert re.search(f"\\({frm}.* → {to}", event), (event, frm, to)

    openings = section(cm, "Siapa saja yang membuka berkas ini").get_by_role("listitem")
    opened_by = openings.all_inner_texts()
    assert any(manager.full_name in line for line in opened_by), opened_by
    assert any(supervisor.full_name in line for line in opened_by), opened_by
    # Need to know: the intake officer opened the case but never read the file.
    assert not any(officer.full_name in line for line in opened_by), opened_by
    expect(openings.first).to_contain_text(f"{manager.full_name} (DP3AP2KB Uji)")  # newest first: this visit
    if mobile:
        cm.assert_no_horizontal_scroll()
    cm.screenshot("22-closed")

    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_at is not None
    assert sorted(case.approvals.values_list("kind", "decision")) == [
        ("closure", ApprovalDecision.APPROVED),
        ("plan", ApprovalDecision.APPROVED),
    ]
    victim = case.victims.get()
    assert (victim.nik, victim.birth_date.isoformat()) == (NIK, BIRTH_DATE)

    cm.visit(reverse("cases:list"))
    expect(cm.get_by_role("table", name="Daftar kasus")).to_contain_text("Terminasi (ditutup)")
    if mobile:
        cm.assert_no_horizontal_scroll()
    cm.screenshot("23-my-cases-closed")


# --- Need to know ---------------------------------------------------------------------------------------


def test_another_case_manager_who_edits_the_url_gets_not_found(open_page, make_user, cast):
    first = cast["manager"]
    case = case_services.case_open_from_report(
        actor=cast["officer"], report=cast["report"], risk="tinggi", authority="kota", case_manager=first
    )
    other = make_user(Role.CASE_MANAGER)
    p = open_page("desktop", user=other)
    p.visit(reverse("cases:list"))
    expect(p.get_by_role("table", name="Daftar kasus")).to_contain_text("Tidak ada kasus.")

    p.visit(reverse("cases:detail", args=[case.public_id]), status=404)
    expect(p.get_by_role("heading", level=1)).to_have_text("Halaman tidak ditemukan")
    expect(p.get_by_role("main")).not_to_contain_text(case.registration_number)
    expect(p.get_by_role("main")).not_to_contain_text(CHILD)
    p.screenshot("not-found")
    # Nothing was opened, so nothing of theirs is in the file's openings.
    assert not AuditEvent.objects.filter(
        actor=other, object_id=str(case.public_id), action=AuditAction.RECORD_VIEWED
    ).exists()


# --- Problems found by this journey, fixed; these keep them fixed ------------------------------------------


@pytest.mark.parametrize("page", ["reports:inbox", "cases:list"])
def test_an_empty_list_at_360_px_can_be_scrolled_with_the_keyboard(open_page, make_user, page):
    role = Role.INTAKE_OFFICER if page == "reports:inbox" else Role.CASE_MANAGER
    p = open_page("mobile", user=make_user(role))
    p.visit(reverse(page))  # axe: the sideways-scrolling table region takes keyboard focus


# Every visible control: its own label (through the browser's own <label for> association, which is what
# screen readers and a click on the label use), and ids that occur once.
FORM_LABELS = """() => {
  const where = (el) => {
    const card = el.closest("section[aria-labelledby]");
    return card ? document.getElementById(card.getAttribute("aria-labelledby")).textContent.trim() : "page";
  };
  const counts = {};
  for (const el of document.querySelectorAll("[id]")) counts[el.id] = (counts[el.id] || 0) + 1;
  const problems = Object.entries(counts).filter(([, n]) => n > 1).map(([id, n]) => `id ${id} used ${n} times`);
  for (const el of document.querySelectorAll("input:not([type=hidden]), select, textarea")) {
    if (!el.labels.length && !el.hasAttribute("aria-label") && !el.hasAttribute("aria-labelledby"))
      problems.push(`${el.tagName.toLowerCase()}[name=${el.name}] in "${where(el)}" has no label`);
  }
  for (const label of document.querySelectorAll("label[for]")) {
    if (label.control && label.control.form !== label.closest("form")) {
      const text = label.textContent.trim();
      problems.push(`label "${text}" in "${where(label)}" names a field of another form, in "${where(label.control)}"`);
    }
  }
  return problems;
}"""


def test_every_field_on_the_case_page_has_its_own_label(open_page, cast):
    manager = cast["manager"]
    case = case_services.case_open_from_report(
        actor=cast["officer"], report=cast["report"], risk="tinggi", authority="kota", case_manager=manager
    )
    case = case_services.case_transition(actor=manager, case=case, to=CaseStatus.ASSESSMENT, version=case.version)
    case = case_services.case_transition(actor=manager, case=case, to=CaseStatus.PLAN, version=case.version)
    p = open_page("desktop", user=manager)
    p.visit(reverse("cases:detail", args=[case.public_id]))
    problems = p.evaluate(FORM_LABELS)
    assert problems == [], "\n".join(problems)


def test_the_case_manager_reads_why_the_supervisor_sent_the_plan_back(open_page, cast):
    manager, supervisor = cast["manager"], cast["supervisor"]
    case = case_services.case_open_from_report(
        actor=cast["officer"], report=cast["report"], risk="tinggi", authority="kota", case_manager=manager
    )
    case = case_services.case_transition(actor=manager, case=case, to=CaseStatus.ASSESSMENT, version=case.version)
    case = case_services.case_transition(actor=manager, case=case, to=CaseStatus.PLAN, version=case.version)
    plan_item(manager, case)
    case_services.approval_request(actor=manager, case=case, kind="plan", note=PLAN_NOTE)
    reason = "Rencana belum memuat penilaian keamanan rumah; lengkapi dulu."

    sv = open_page("desktop", user=supervisor)
    sv.visit(reverse("cases:detail", args=[case.public_id]))
    pending = section(sv, "Langkah berikutnya")
    pending.get_by_role("group", name="Keputusan").get_by_label("Kembalikan untuk diperbaiki").check()
    pending.get_by_label("Komentar").fill(reason)
    press(sv, "Simpan keputusan", within=pending)

    cm = open_page("desktop", user=manager)
    cm.visit(reverse("cases:detail", args=[case.public_id]))
    cm.screenshot("sent-back")
    # They may ask again (the button is back) ...
    expect(
        section(cm, "Langkah berikutnya").get_by_role("button", name="Minta persetujuan rencana intervensi")
    ).to_be_visible()
    # ... but need to read what to fix.
    expect(cm.get_by_role("main")).to_contain_text(reason, timeout=1_000)
