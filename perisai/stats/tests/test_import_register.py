"""Issue 14's acceptance for imports: a 200-row register shaped like an office's (merged header cells, dates as
text, serial numbers and date cells, kecamatan aliases, NIK with dots, a few bad rows) is checked, fixed and
imported; the dashboard, the SIMFONI recap, /statistik/ and the per-case listing then give the counts computed
here from the rows themselves. And Perisai's own SIMFONI listing imports back to the same figures."""

from __future__ import annotations

import datetime as dt
import io
import random
from collections import Counter

import openpyxl
from django.test import Client
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.cases.models import Case
from perisai.imports import services
from perisai.imports.plan import make_plan
from perisai.imports.reading import read_sheet
from perisai.stats import counting, public, simfoni
from perisai.stats.periods import Period

MONTHS_ID = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember"]  # fmt: skip
# How the register spells the kecamatan, and the kecamatan it means.
SPELLINGS = [("Jombang", "Jombang"), ("JOMBANG", "Jombang"), ("Grogol", "Gerogol"), ("Cibeber", "Cibeber"),
             ("Citangkil", "Citangkil"), ("Pulomerak", "Pulomerak"), ("Ciwandan", "Ciwandan"), ("cilegon", "Cilegon"),
             ("Purwakarta", "Purwakarta")]  # fmt: skip
TYPES = [("Seksual", ["seksual"]), ("Fisik dan Psikis", ["fisik", "psikis"]), ("Penelantaran", ["penelantaran"]),
         ("Eksploitasi", ["eksploitasi"]), ("pencabulan", ["seksual"])]  # fmt: skip
SEXES = [("P", "p"), ("L", "l"), ("Perempuan", "p"), ("Lk", "l")]


def register(rng: random.Random, bad_rows: bool):
    """The workbook, and the truth: one dict per victim row."""
    truth, rows = [], []
    case_number = 0
    while len(rows) < 200:
        case_number += 1
        day = dt.date(2024, 2, 1) + dt.timedelta(days=rng.randint(0, 180))  # February to July 2024
        spelled, kecamatan = rng.choice(SPELLINGS)
        for _victim in range(1 if rng.random() < 0.8 else 2):
            written, types = rng.choice(TYPES)
            sex_written, sex = rng.choice(SEXES)
            age = rng.randint(2, 17)
            style = len(rows) % 3
            report = (
                f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}" if style == 0 else day if style == 1 else
                float((day - dt.date(1899, 12, 30)).days)
            )  # fmt: skip
            nik = "3672" + "".join(str(rng.randint(0, 9)) for _ in range(12))
            nik_written = f"{nik[:4]}.{nik[4:8]}.{nik[8:12]}.{nik[12:]}"
            rows.append([f"REG/{case_number:03d}/2024", report, spelled, written, f"Anak {len(rows)}", nik_written,
                         age, sex_written, rng.choice(["Ayah", "Tetangga", "Guru", "Paman"])])  # fmt: skip
            truth.append({"case": case_number, "day": day, "kecamatan": kecamatan, "types": types, "sex": sex})
    bad = {}
    if bad_rows:
        for index, (column, value, message) in zip(
            [7, 45, 88, 131, 170],
            [(1, "31 Februari 2024", "bukan tanggal yang benar"), (2, "Grogoll", "Mungkin maksudnya: Gerogol"),
             (5, "3672.0101", "16 angka"), (3, "Kekerasan verbal", "Pilihan:"), (6, "dua belas", "bukan angka")],
            strict=True,
        ):  # fmt: skip
            rows[index][column] = value
            bad[index] = message
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["REGISTER PENGADUAN KORBAN ANAK — UPTD PPA KOTA CILEGON 2024"])
    sheet.merge_cells("A1:I1")
    sheet.append(["", "", "", "", "Korban", "", "", "", "Pelaku"])
    sheet.merge_cells("E2:H2")
    sheet.append(["No. Register", "Tanggal Laporan", "Kecamatan", "Jenis Kekerasan", "Nama", "NIK", "Usia", "L/P",
                  "Hubungan Pelaku"])  # fmt: skip
    for row in rows:
        sheet.append(row)
    for row in sheet.iter_rows(min_row=4, min_col=2, max_col=2):
        if isinstance(row[0].value, dt.date):
            row[0].number_format = "dd/mm/yyyy"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), truth, {index + 4: message for index, message in bad.items()}  # sheet row numbers


def test_a_200_row_register_is_checked_fixed_imported_and_counted_everywhere(make_user):
    supervisor, analyst = make_user(Role.SUPERVISOR), make_user(Role.ANALYST)
    content, _truth, bad = register(random.Random(14), bad_rows=True)  # noqa: S311 - reproducible test data
    plan = make_plan(read_sheet(content, "register-2024.xlsx"))
    by_row = {row: " | ".join(p.message for p in problems) for row, problems in plan.problems_by_row()}
    assert sorted(by_row) == sorted(bad), by_row
    for row, message in bad.items():
        assert message in by_row[row], (row, by_row[row])

    # The office fixes the five rows.
    content, truth, _none = register(random.Random(14), bad_rows=False)  # noqa: S311 - reproducible test data
    plan = make_plan(read_sheet(content, "register-2024.xlsx"))
    assert not plan.problems, plan.problems
    result = services.import_run(actor=supervisor, plan=plan, file_sha256="sha", filename="register-2024.xlsx")
    cases = len({row["case"] for row in truth})
    assert len(result.created) == cases and len(truth) == 200

    # The counts, computed from the rows alone.
    by_month = Counter((row["day"].year, row["day"].month) for row in truth)
    by_kecamatan = Counter(row["kecamatan"] for row in truth)
    by_type = Counter(code for row in truth for code in row["types"])
    year = Period.year(2024)

    client = Client()
    client.force_login(analyst)
    shown = client.get(reverse("stats:dashboard"), {"jenis": "tahun", "tahun": "2024"}).context["facts"]
    assert (shown.victim_count, shown.case_count) == (200, cases)
    assert {k: v for k, v in shown.by_month().items() if v} == dict(by_month)
    assert {r.label: r.count for r in shown.breakdown("kecamatan").rows if r.count} == dict(by_kecamatan)
    assert {r.code: r.count for r in shown.breakdown("jenis").rows if r.count} == dict(by_type)

    facts = counting.facts_for(year)
    recap = openpyxl.load_workbook(io.BytesIO(simfoni.recap_xlsx(facts, place="Uji", watermark="Uji")))
    summary = {row[0]: row[1] for row in recap["Ringkasan"].iter_rows(values_only=True) if row[0]}
    assert summary["Jumlah anak korban (korban)"] == 200 and summary["Jumlah kasus (kasus)"] == cases
    per_kecamatan = {row[0]: row[1] for row in recap["Kecamatan"].iter_rows(min_row=6, values_only=True) if row[0]}
    assert {k: v for k, v in per_kecamatan.items() if v and k in by_kecamatan} == dict(by_kecamatan)

    stats = public.public_statistics(2024, today=dt.date(2026, 12, 6))
    assert {label: cells[-1].value for label, _unit, cells in stats.summary}["Anak korban"] == 200
    assert stats.summary[0][2][-1].state == "shown"

    rows = simfoni.listing_rows(facts, Case.objects.all())
    columns = simfoni.listing_columns(simfoni.FULL)
    victims = {(row[0], row[columns.index("Korban ke")]) for row in rows}
    assert len(victims) == 200
    assert Counter(row[columns.index("Tanggal pelaporan")].month for row in rows if row[columns.index("Pelaku ke")]
                   in ("", 1)) == Counter(month for _y, month in by_month.elements())  # fmt: skip


def test_perisais_own_simfoni_listing_imports_back_to_the_same_figures(demo, tmp_path):
    period = Period(dt.date(2023, 1, 1), dt.date(2023, 9, 30))
    before = counting.facts_for(period)
    kdrt_before = simfoni.kdrt_victims(before)  # read now: the facts' case query is evaluated when used
    listing = simfoni.listing_xlsx(
        simfoni.listing_rows(before, Case.objects.all()), facts=before, watermark="Diekspor oleh Uji"
    )
    plan = make_plan(read_sheet(listing, "simfoni-per-kasus.xlsx"))
    assert not plan.problems, plan.problems[:5]
    services.import_run(actor=demo["supervisor"], plan=plan, file_sha256="sha", filename="simfoni-per-kasus.xlsx")
    after = counting.facts_for(period)
    # The same cases again, beside the originals: every figure exactly doubles.
    assert (after.victim_count, after.case_count) == (2 * before.victim_count, 2 * before.case_count)
    for key in ("jenis", "kecamatan", "usia", "kelamin", "hubungan", "tempat"):
        assert {r.code: r.count for r in after.breakdown(key).rows} == {
            r.code: 2 * r.count for r in before.breakdown(key).rows
        }, key
    assert after.by_month() == Counter({month: 2 * count for month, count in before.by_month().items()})
    assert simfoni.kdrt_victims(after) == 2 * kdrt_before
