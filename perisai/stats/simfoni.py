"""SIMFONI-PPA recap (aggregates, in the ministry's categories) and the per-case listing in SIMFONI's field
order. Both count through counting.py, so they agree with the dashboard.

Cells are written with write_string/write_number only, never as formulas, and text is neutralised anyway
(a value starting with = + - @ would become a formula if someone re-saved the sheet as CSV)."""

from __future__ import annotations

import io

import xlsxwriter
from django.utils import timezone

from perisai.cases.models import Victim
from perisai.core.simfoni import Sex
from perisai.stats import counting
from perisai.stats.public import neutralise

RECAP_SHEETS = [
    ("Jenis kekerasan", "jenis"),
    ("Tempat kejadian", "tempat"),
    ("Hubungan pelaku", "hubungan"),
    ("Layanan", "layanan"),
    ("Pelaku menurut kelamin", "kelamin_pelaku"),
]


def _book():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    return buffer, book, book.add_format({"bold": True})


def _text(sheet, row: int, col: int, value, fmt=None) -> None:
    if isinstance(value, int):
        sheet.write_number(row, col, value, fmt)
    else:
        sheet.write_string(row, col, neutralise(str(value)), fmt)


def _heading(sheet, bold, facts: counting.Facts, title: str, watermark: str) -> int:
    _text(sheet, 0, 0, title, bold)
    _text(sheet, 1, 0, f"Periode: {facts.period.label} (menurut tanggal {facts.period.basis})")
    _text(sheet, 2, 0, watermark)
    return 4


def recap_xlsx(facts: counting.Facts, *, place: str, watermark: str) -> bytes:
    buffer, book, bold = _book()
    sheet = book.add_worksheet("Ringkasan")
    row = _heading(sheet, bold, facts, f"Rekap SIMFONI-PPA: {place}", watermark)
    for label, value in [
        ("Jumlah kasus (kasus)", facts.case_count),
        ("Jumlah anak korban (korban)", facts.victim_count),
        ("Jumlah terduga pelaku (pelaku)", facts.perpetrator_count),
        # SIMFONI-PPA counts women and children apart: adult women are never in the children's figures above.
        ("Perempuan dewasa korban, dihitung terpisah (korban)", facts.adult_women()),
    ]:
        _text(sheet, row, 0, label)
        _text(sheet, row, 1, value)
        row += 1
    sheet.set_column(0, 0, 40)

    sheet = book.add_worksheet("Korban usia x kelamin")
    row = _heading(sheet, bold, facts, "Korban menurut kelompok usia dan jenis kelamin (satuan: korban)", watermark)
    sexes = [(code or counting.UNKNOWN, str(label)) for code, label in Sex.choices]
    bands = counting.dimension("usia").categories
    table = counting.cross(facts, "usia", "kelamin")
    for col, (_code, label) in enumerate([("", "Kelompok usia"), *sexes, ("", "Jumlah")]):
        _text(sheet, row, col, label, bold)
    for band, band_label in bands:
        row += 1
        _text(sheet, row, 0, str(band_label))
        for col, (sex, _label) in enumerate(sexes, start=1):
            _text(sheet, row, col, table.get((band, sex), 0))
        _text(sheet, row, len(sexes) + 1, sum(table.get((band, sex), 0) for sex, _l in sexes))
    sheet.set_column(0, 0, 24)

    for name, key in RECAP_SHEETS:
        data = counting.breakdown(facts, key)
        sheet = book.add_worksheet(name)
        row = _heading(sheet, bold, facts, f"{data.dimension.title} (satuan: {data.unit_label})", watermark)
        headers = ["Kategori", data.unit_label.capitalize()] + (["Kasus"] if data.case_total is not None else [])
        for col, label in enumerate(headers):
            _text(sheet, row, col, label, bold)
        for item in data.rows:
            row += 1
            _text(sheet, row, 0, item.label)
            _text(sheet, row, 1, item.count)
            if data.case_total is not None:
                _text(sheet, row, 2, item.cases)
        row += 1
        _text(sheet, row, 0, f"Jumlah {data.unit_label}", bold)
        _text(sheet, row, 1, data.total, bold)
        if data.dimension.note:
            _text(sheet, row + 2, 0, str(data.dimension.note))
        sheet.set_column(0, 0, 40)
    book.close()
    return buffer.getvalue()


# SIMFONI's input form order as local systems mirroring SIMFONI v2 lay it out (no official field list is
# published): case, place and time, violence, victim, perpetrator, services. No names, NIK or address:
# staff key those from the case file itself, so the sheet identifies a child only through the register number.
LISTING_COLUMNS = [
    "No. registrasi",
    "Tanggal pelaporan",
    "Tanggal kejadian",
    "Kecamatan (kode)",
    "Kelurahan (kode)",
    "Tempat kejadian",
    "Jenis kekerasan",
    "KDRT",
    "Korban: jenis kelamin",
    "Korban: usia saat kejadian",
    "Korban: pendidikan",
    "Korban: pekerjaan",
    "Korban: disabilitas",
    "Pelaku: jenis kelamin",
    "Pelaku: usia",
    "Pelaku: hubungan dengan korban",
    "Layanan",
]


def listing_rows(facts: counting.Facts, cases) -> list[list]:
    """One row per counted victim and perpetrator of the cases given (already scoped by the case policy)."""
    rows = []
    victims = (
        Victim.objects.filter(case__in=cases, case_id__in=facts.case_ids)
        .select_related("case__kecamatan", "case__kelurahan")
        .prefetch_related("services", "case__perpetrators")
        .order_by("case__opened_at", "pk")
    )
    for victim in victims:
        case = victim.case
        age = counting._age(victim.birth_date, victim.estimated_age, case.incident_date)
        if age is not None and age >= counting.ADULT_AGE:
            continue
        perpetrators = list(case.perpetrators.all()) or [None]
        for perpetrator in perpetrators:
            rows.append(
                [
                    case.registration_number,
                    timezone.localtime(case.opened_at).date().isoformat(),
                    case.incident_date.isoformat() if case.incident_date else "",
                    case.kecamatan.code if case.kecamatan else "",
                    case.kelurahan.code if case.kelurahan else "",
                    case.get_place_display(),
                    ", ".join(victim.violence_labels),
                    "Ya" if victim.domestic else "Tidak",
                    victim.get_sex_display(),
                    "" if age is None else age,
                    victim.get_education_display(),
                    victim.get_occupation_display(),
                    "Ya" if victim.disability else "Tidak",
                    perpetrator.get_sex_display() if perpetrator else "",
                    (perpetrator.age or "") if perpetrator else "",
                    perpetrator.get_relationship_display() if perpetrator else "",
                    ", ".join(sorted({s.get_service_type_display() for s in victim.services.all()})),
                ]
            )
    return rows


def listing_xlsx(rows: list[list], *, facts: counting.Facts, watermark: str) -> bytes:
    buffer, book, bold = _book()
    sheet = book.add_worksheet("Daftar kasus SIMFONI")
    row = _heading(sheet, bold, facts, "Daftar per kasus untuk SIMFONI-PPA (RAHASIA: UU 11/2012 Pasal 19)", watermark)
    for col, label in enumerate(LISTING_COLUMNS):
        _text(sheet, row, col, label, bold)
    for values in rows:
        row += 1
        for col, value in enumerate(values):
            _text(sheet, row, col, value)
    mark = watermark.replace("&", "&&")  # "&" starts a control code in Excel headers
    sheet.set_header(f"&L{mark}")
    sheet.set_footer(f"&L{mark}&RRAHASIA")
    book.close()
    return buffer.getvalue()
