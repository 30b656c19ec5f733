"""SIMFONI-PPA recap (aggregates, in the ministry's categories) and the per-case listing in SIMFONI's field
order. Both count through counting.py, so they agree with the dashboard.

Cells are written with write_string/write_number only, never as formulas, and text is neutralised anyway
(a value starting with = + - @ would become a formula if someone re-saved the sheet as CSV)."""

from __future__ import annotations

import datetime as dt
import io

import xlsxwriter
from django.utils import timezone

from perisai.cases.models import Victim
from perisai.core.simfoni import PerpetratorRelationship, Sex
from perisai.stats import counting
from perisai.stats.public import neutralise

RECAP_SHEETS = [
    ("Kecamatan", "kecamatan"),
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


def kdrt_victims(facts: counting.Facts) -> int:
    """Child victims of the period's counted cases for whom the case is KDRT (core.simfoni.is_domestic)."""
    victims = (
        Victim.objects.filter(case_id__in=facts.counted_case_ids())
        .select_related("case")
        .prefetch_related("perpetrator_relationships", "case__perpetrators")
    )
    return sum(
        1
        for victim in victims
        if (counting._age(victim.birth_date, victim.estimated_age, victim.case.incident_date) or 0) < counting.ADULT_AGE
        and victim.kdrt
    )


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
        ("Anak korban KDRT (korban)", kdrt_victims(facts)),
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
# published): case, place and time, violence, victim, perpetrator, services. One row per child victim and
# perpetrator; "Korban ke" and "Pelaku ke" number them within the case, so the sheet imports back exactly
# (perisai.imports). Dates are date cells and counts are numbers, so filters and formulas work on them.
# Supervisors get the names, NIK, birth date and address they already read in the case files; analysts, who
# never open a file, get initials only, and no restricted case at all (the child may be known to staff).
FULL, INITIALS = "lengkap", "inisial"
IDENTITY_COLUMNS = {
    FULL: ["Nama korban", "NIK korban", "Tanggal lahir korban", "Alamat korban"],
    INITIALS: ["Inisial korban"],
}


def listing_columns(detail: str) -> list[str]:
    return [
        "No. registrasi",
        "Tanggal pelaporan",
        "Tanggal kejadian",
        "Kecamatan",
        "Kode kecamatan",
        "Kelurahan",
        "Kode kelurahan",
        "Tempat kejadian",
        "Jenis kekerasan",
        "KDRT",
        "Korban ke",
        *IDENTITY_COLUMNS[detail],
        "Korban: jenis kelamin",
        "Korban: usia saat kejadian",
        "Korban: pendidikan",
        "Korban: pekerjaan",
        "Korban: disabilitas",
        "Pelaku ke",
        "Pelaku: jenis kelamin",
        "Pelaku: usia",
        "Pelaku: hubungan dengan korban",
        "Layanan",
    ]


RELATIONSHIP_LABELS = dict(PerpetratorRelationship.choices)


def initials(name: str) -> str:
    """ "Siti Nur Aisyah" -> "S.N.A." (what the press and SIMFONI's public summaries use for a child)."""
    return "".join(f"{word[0].upper()}." for word in name.split() if word[:1].isalpha())


def listing_rows(facts: counting.Facts, cases, *, detail: str = FULL) -> list[list]:
    """One row per counted child victim and perpetrator of the cases given (already scoped by the caller)."""
    rows = []
    victims = (
        Victim.objects.filter(case__in=cases, case_id__in=facts.case_ids)
        .select_related("case__kecamatan", "case__kelurahan")
        .prefetch_related("services", "case__perpetrators", "case__victims", "perpetrator_relationships")
        .order_by("case__opened_at", "case_id", "pk")
    )
    for victim in victims:
        case = victim.case
        age = counting._age(victim.birth_date, victim.estimated_age, case.incident_date)
        if age is not None and age >= counting.ADULT_AGE:
            continue
        ordinal = [other.pk for other in sorted(case.victims.all(), key=lambda v: v.pk)].index(victim.pk) + 1
        if detail == FULL:
            identity = [victim.name, victim.nik, victim.birth_date or "", victim.address]
        else:
            identity = [initials(victim.name)]  # restricted cases never reach an analyst (stats.policies)
        linked = {link.perpetrator_id: link.relationship for link in victim.perpetrator_relationships.all()}
        perpetrators = sorted(case.perpetrators.all(), key=lambda p: p.pk) or [None]
        for number, perpetrator in enumerate(perpetrators, start=1):
            relationship = linked.get(perpetrator.pk, perpetrator.relationship) if perpetrator else ""
            rows.append(
                [
                    case.registration_number,
                    timezone.localtime(case.opened_at).date(),
                    case.incident_date or "",
                    case.kecamatan.name if case.kecamatan else "",
                    case.kecamatan.code if case.kecamatan else "",
                    case.kelurahan.name if case.kelurahan else "",
                    case.kelurahan.code if case.kelurahan else "",
                    case.get_place_display(),
                    ", ".join(victim.violence_labels),
                    "Ya" if victim.kdrt else "Tidak",
                    ordinal,
                    *identity,
                    victim.get_sex_display(),
                    "" if age is None else age,
                    victim.get_education_display(),
                    victim.get_occupation_display(),
                    "Ya" if victim.disability else "Tidak",
                    number if perpetrator else "",
                    perpetrator.get_sex_display() if perpetrator else "",
                    (perpetrator.age if perpetrator.age is not None else "") if perpetrator else "",
                    str(RELATIONSHIP_LABELS.get(relationship, relationship)),
                    ", ".join(sorted({s.get_service_type_display() for s in victim.services.all()})),
                ]
            )
    return rows


def listing_xlsx(rows: list[list], *, facts: counting.Facts, watermark: str, detail: str = FULL) -> bytes:
    buffer, book, bold = _book()
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet = book.add_worksheet("Daftar kasus SIMFONI")
    row = _heading(sheet, bold, facts, "Daftar per kasus untuk SIMFONI-PPA (RAHASIA: UU 11/2012 Pasal 19)", watermark)
    for col, label in enumerate(listing_columns(detail)):
        _text(sheet, row, col, label, bold)
    for values in rows:
        row += 1
        for col, value in enumerate(values):
            if isinstance(value, dt.date):
                sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), dates)
            elif value != "":
                _text(sheet, row, col, value)
    sheet.set_column(0, 0, 16)
    sheet.autofilter(4, 0, row, len(listing_columns(detail)) - 1)
    sheet.freeze_panes(5, 1)
    mark = watermark.replace("&", "&&")  # "&" starts a control code in Excel headers
    sheet.set_header(f"&L{mark}")
    sheet.set_footer(f"&L{mark}&RRAHASIA")
    book.close()
    return buffer.getvalue()
