"""Importing an office register: the cells as people type them, the dry run's problems per row in Indonesian,
all or nothing through the screens' services, nothing new on a second run, supervisors only."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.accounts.testing import assert_access, matrix_users
from perisai.audit.choices import AuditAction
from perisai.audit.models import AuditEvent
from perisai.cases.models import Case, Victim
from perisai.imports import services, values
from perisai.imports.plan import make_plan
from perisai.imports.reading import read_sheet
from perisai.reports.choices import Channel

HEADER = ["No. Reg", "Tgl Laporan", "Tgl Kejadian", "Kecamatan", "Kelurahan", "Jenis Kekerasan", "Nama Korban",
          "NIK", "Tgl Lahir", "Usia", "L/P", "Hubungan Pelaku"]  # fmt: skip
GOOD = [
    ["R-001", "12 Maret 2024", "10-03-2024", "Jombang", "Masigit", "Seksual", "Siti Aminah", "3672.0101.0101.0001",
     "", "9", "P", "Ayah tiri"],
    ["R-002", 45413.0, "", "Grogol", "", "Fisik, Psikis", "Budi", "", dt.date(2012, 5, 1), "", "L", "Tetangga"],
    ["R-002", 45413.0, "", "Grogol", "", "Penelantaran", "Rina", "", "", "7", "Perempuan", "Tetangga"],
]  # fmt: skip


def xlsx(rows, header=HEADER, title=True) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append(["REGISTER PENGADUAN UPTD PPA KOTA CILEGON 2024"])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class ValueTests:
    @pytest.mark.parametrize(
        ("typed", "expected"),
        [
            ("12 Maret 2024", dt.date(2024, 3, 12)),
            ("12 Agt 2024", dt.date(2024, 8, 12)),
            ("12-03-2024", dt.date(2024, 3, 12)),
            ("12/3/24", dt.date(2024, 3, 12)),
            ("2024-03-12", dt.date(2024, 3, 12)),
            (45363.0, dt.date(2024, 3, 12)),  # an Excel serial number
            (dt.datetime(2024, 3, 12, 0, 0), dt.date(2024, 3, 12)),
        ],
    )
    def test_dates_as_registers_write_them(self, typed, expected):
        assert values.read_date(typed) == expected

    @pytest.mark.parametrize("typed", ["31 Februari 2024", "Maret 2024", "kemarin", 12.0])
    def test_impossible_dates_are_named(self, typed):
        with pytest.raises(values.Problem):
            values.read_date(typed)

    def test_nik_with_dots_and_spaces_and_one_that_lost_its_last_digit(self):
        assert values.read_nik("3672.0101 0101-0001") == "3672010101010001"
        with pytest.raises(values.Problem, match="16 angka"):
            values.read_nik("3672.0101.0101.001")
        with pytest.raises(values.Problem, match="sebagai teks"):
            values.read_nik(3.67201010101e15)

    def test_categories_in_the_words_offices_use(self):
        assert values.read_types("Fisik dan psikis") == ["fisik", "psikis"]
        assert values.read_types("pencabulan") == ["seksual"]
        assert values.read_sex("Lk") == "l" and values.read_relationship("Ayah tiri") == "orang_tua"
        with pytest.raises(values.Problem, match="Pilihan: Fisik"):
            values.read_types("Kekerasan verbal")


@pytest.mark.django_db
class DryRunTests:
    def test_the_plan_groups_rows_by_case_and_finds_the_header_under_a_merged_title(self):
        plan = make_plan(read_sheet(xlsx(GOOD), "register.xlsx"))
        assert plan.header_row == 2 and not plan.problems, plan.problems
        first, second = plan.cases
        assert first.fields["report_date"] == dt.date(2024, 3, 12) and first.fields["kecamatan"].name == "Jombang"
        assert second.fields["kecamatan"].name == "Gerogol"  # "Grogol" is the kecamatan's known alias
        assert len(second.victims) == 2 and second.types == ["fisik", "penelantaran", "psikis"]
        assert second.victims[1].fields["birth_date"] == dt.date(2012, 5, 1)

    def test_every_bad_row_is_named_with_what_is_wrong(self):
        bad = [
            ["R-010", "31 Februari 2024", "", "Jombang", "", "Seksual", "A", "", "", "9", "P", "Ayah"],
            ["R-011", "12 Maret 2024", "", "Grogoll", "", "Seksual", "B", "", "", "9", "P", "Ayah"],
            ["R-012", "12 Maret 2024", "", "Jombang", "", "Kekerasan verbal", "C", "", "", "9", "P", "Ayah"],
            ["R-013", "12 Maret 2024", "", "Jombang", "", "Fisik", "D", "3672.0101", "", "9", "P", "Ayah"],
            ["R-014", "12 Maret 2024", "", "Jombang", "", "Fisik", "E", "", "1 Mei 2000", "9", "P", "Ayah"],
            ["R-015", "12 Maret 2024", "", "Jombang", "Cibubur", "Fisik", "F", "", "", "9", "X", "Ayah"],
            ["", "12 Maret 2024", "", "Jombang", "", "Fisik", "G", "", "", "9", "P", "Ayah"],
        ]
        plan = make_plan(read_sheet(xlsx(GOOD + bad), "register.xlsx"))
        by_row = {row: " | ".join(p.message for p in problems) for row, problems in plan.problems_by_row()}
        assert sorted(by_row) == [7, 8, 9, 10, 11, 12, 13]
        assert "bukan tanggal yang benar" in by_row[7]
        assert "Mungkin maksudnya: Gerogol" in by_row[8]
        assert "Kekerasan verbal" in by_row[9] and "Pilihan:" in by_row[9]
        assert "16 angka" in by_row[10]
        assert "tidak cocok dengan tanggal lahir" in by_row[11]
        assert "Kelurahan “Cibubur” tidak dikenal di Kecamatan Jombang" in by_row[12] and "X" in by_row[12]
        assert "kosong" in by_row[13]
        assert not plan.ok

    def test_csv_with_semicolons_reads_the_same(self):
        text = ";".join(HEADER) + "\n" + "R-001;12 Maret 2024;;Jombang;;Seksual;Siti;;;9;P;Ayah\n"
        plan = make_plan(read_sheet(text.encode("utf-8-sig"), "register.csv"))
        assert not plan.problems and plan.cases[0].victims[1].fields["estimated_age"] == 9


@pytest.mark.django_db
class ImportTests:
    def test_all_cases_through_the_services_then_nothing_new_on_a_second_run(self, make_user):
        supervisor = make_user(Role.SUPERVISOR)
        content = xlsx(GOOD)
        plan = make_plan(read_sheet(content, "register.xlsx"))
        result = services.import_run(actor=supervisor, plan=plan, file_sha256="x", filename="register.xlsx")
        assert len(result.created) == 2 and result.skipped == 0
        first = Case.objects.get(imported_from__case_key="R-001 (2024)")
        assert first.entered_after_fact and "/III/2024" in first.registration_number
        assert first.reports.get().channel == Channel.REGISTER
        assert not first.tasks.filter(done_at__isnull=True).exists()  # every deadline long past: not applicable
        victim = first.victims.get()
        assert (victim.name, victim.nik, victim.sex, victim.estimated_age) == (
            "Siti Aminah",
            "3672010101010001",
            "p",
            9,
        )
        assert first.perpetrators.get().relationship == "orang_tua" and victim.kdrt
        assert Victim.objects.filter(case__imported_from__case_key="R-002 (2024)").count() == 2
        assert AuditEvent.objects.filter(action=AuditAction.IMPORTED, actor=supervisor).count() == 1

        again = services.import_run(
            actor=supervisor, plan=make_plan(read_sheet(content, "register.xlsx")), file_sha256="x", filename="r"
        )
        assert again.created == [] and again.skipped == 2 and Case.objects.count() == 2

    def test_the_same_register_number_in_another_year_is_another_case(self, make_user):
        supervisor = make_user(Role.SUPERVISOR)
        for year in ("2023", "2024"):
            rows = [["1", f"12 Maret {year}", "", "Jombang", "", "Fisik", "A", "", "", "9", "P", "Ayah"]]
            plan = make_plan(read_sheet(xlsx(rows), "register.xlsx"))
            services.import_run(actor=supervisor, plan=plan, file_sha256=year, filename="register.xlsx")
        assert sorted(Case.objects.values_list("year", flat=True)) == [2023, 2024]

    def test_a_wrong_nik_is_described_without_printing_it(self):
        with pytest.raises(values.Problem) as problem:
            values.read_nik("3672.0101.0101.001")
        assert "3672" not in str(problem.value)

    def test_one_refused_case_leaves_nothing_behind(self, make_user, monkeypatch):
        from django.core.exceptions import ValidationError

        supervisor = make_user(Role.SUPERVISOR)
        real = services._create_case
        calls = []

        def second_fails(actor, plan, filename):
            calls.append(plan.key)
            if len(calls) == 2:
                raise ValidationError({"name": "Nama terlalu panjang."})
            return real(actor, plan, filename)

        monkeypatch.setattr(services, "_create_case", second_fails)
        plan = make_plan(read_sheet(xlsx(GOOD), "register.xlsx"))
        with pytest.raises(services.ImportRefused, match="R-002 \\(2024\\)"):
            services.import_run(actor=supervisor, plan=plan, file_sha256="x", filename="register.xlsx")
        assert not Case.objects.exists()


@pytest.mark.django_db
class ScreenTests:
    def test_only_supervisors_reach_the_import(self, make_user):
        assert_access(reverse("imports:upload"), users=matrix_users(make_user), allowed={Role.SUPERVISOR})

    def test_upload_check_fix_columns_and_import_in_the_browser_flow(self, make_user):
        client = Client()
        client.force_login(make_user(Role.SUPERVISOR))
        bad = [["R-009", "12 Maret 2024", "", "Grogoll", "", "Seksual", "A", "", "", "9", "P", "Ayah"]]
        upload = {"file": _file(xlsx(GOOD + bad))}
        page = client.post(reverse("imports:upload"), upload)
        assert page.status_code == 200
        body = page.content.decode()
        assert "Mungkin maksudnya: Gerogol" in body and "Impor 3 kasus" not in body
        token = page.context["form"]["token"].value()
        fixed = {"token": token, **{f"col_{k}": str(v) for k, v in page.context["plan"].mapping.items()}}
        fixed["col_kecamatan"] = ""  # no kecamatan column: the bad spelling no longer matters
        again = client.post(reverse("imports:check"), {**fixed, "langkah": "periksa"})
        assert "Impor 3 kasus" in again.content.decode()
        done = client.post(reverse("imports:check"), {**fixed, "langkah": "impor"})
        assert done.status_code == 200 and "3 kasus dari register.xlsx sudah dibuat" in done.content.decode()
        assert Case.objects.count() == 3
        gone = client.post(reverse("imports:check"), {**fixed, "langkah": "impor"})
        assert gone.status_code == 302  # the file is forgotten once imported

    def test_a_file_that_is_not_a_spreadsheet_is_refused_next_to_the_field(self, make_user):
        client = Client()
        client.force_login(make_user(Role.SUPERVISOR))
        page = client.post(reverse("imports:upload"), {"file": _file(b"%PDF-1.4 not a sheet", "surat.xlsx")})
        assert page.status_code == 400
        assert "tidak dapat dibaca" in page.context["form"].errors["file"][0]


@pytest.mark.django_db
def test_the_command_dry_runs_then_imports_with_yes(make_user, tmp_path: Path):
    supervisor = make_user(Role.SUPERVISOR)
    path = tmp_path / "register.xlsx"
    path.write_bytes(xlsx(GOOD))
    out = io.StringIO()
    call_command("import_cases", str(path), "--user", supervisor.email, stdout=out)
    assert "2 kasus (2 baru" in out.getvalue() and not Case.objects.exists()
    call_command("import_cases", str(path), "--user", supervisor.email, "--yes", stdout=out)
    assert Case.objects.count() == 2
    path.write_bytes(xlsx([["R-3", "kemarin", "", "", "", "Fisik", "", "", "", "", "", ""]]))
    with pytest.raises(CommandError, match="1 masalah"):
        call_command("import_cases", str(path), "--user", supervisor.email, "--yes", stdout=out)


def _file(content: bytes, name: str = "register.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.django_db
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed (make test installs it)")
def test_an_ods_register_reads_like_the_xlsx(tmp_path: Path):
    source = tmp_path / "register.xlsx"
    source.write_bytes(xlsx(GOOD))
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "ods",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    from_ods = make_plan(read_sheet((tmp_path / "register.ods").read_bytes(), "register.ods"))
    from_xlsx = make_plan(read_sheet(xlsx(GOOD), "register.xlsx"))
    assert not from_ods.problems
    assert [(c.key, c.fields["report_date"], len(c.victims)) for c in from_ods.cases] == [
        (c.key, c.fields["report_date"], len(c.victims)) for c in from_xlsx.cases
    ]
