"""What a case-list export contains, and how it is written. Rows come from the counted facts (counting.py)
within the cases the stats policy lets the requester take out (stats.policies.record_scope). No names, NIK or
addresses: the register number leads to the file for whoever may open it. Every text cell is neutralised
(= + - @ start formulas)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import xlsxwriter
from django.utils import timezone

from perisai.cases.models import Case
from perisai.stats import counting
from perisai.stats.public import neutralise

COLUMNS = [
    "No. registrasi",
    "Status",
    "Risiko",
    "Tanggal laporan",
    "Tanggal kejadian",
    "Kecamatan",
    "Tempat kejadian",
    "Korban ke",
    "Jenis kekerasan",
    "Jenis kelamin korban",
    "Kelompok usia korban",
    "Hubungan terduga pelaku dengan korban",
    "Terduga pelaku (pelaku)",
]
BATCH = 200


def case_rows(facts: counting.Facts, cases, progress=None):
    """Yield one row per counted child victim of the cases the requester may take out, in words (labels), never
    internal codes; `progress(done, total)` is called per batch of cases."""
    ids = sorted(set(cases.filter(pk__in=facts.case_ids).values_list("pk", flat=True)))
    labels = {key: dict(counting.dimension(key).categories) for key in ("jenis", "usia", "kelamin", "kecamatan")}
    relationship = dict(counting.dimension("hubungan").categories)
    victims: dict[int, list[counting.VictimFact]] = {}
    for victim in facts.victims:
        victims.setdefault(victim.case_id, []).append(victim)
    perpetrators: dict[int, list[str]] = {}
    for perpetrator in facts.perpetrators:
        perpetrators.setdefault(perpetrator.case_id, []).append(perpetrator.relationship or counting.UNKNOWN)
    for start in range(0, len(ids), BATCH):
        for case in Case.objects.filter(pk__in=ids[start : start + BATCH]).order_by("opened_at", "pk"):
            related = perpetrators.get(case.pk, [])
            relationships = ", ".join(str(relationship.get(code, code)) for code in dict.fromkeys(related))
            for number, victim in enumerate(victims.get(case.pk, []), start=1):
                yield [
                    case.registration_number,
                    case.get_status_display(),
                    case.get_risk_display(),
                    timezone.localtime(case.opened_at).date(),
                    case.incident_date or "",
                    str(labels["kecamatan"].get(victim.kecamatan or counting.UNKNOWN, "")),
                    case.get_place_display(),
                    number,
                    ", ".join(str(labels["jenis"].get(code, code)) for code in victim.types),
                    str(labels["kelamin"].get(victim.sex or counting.UNKNOWN, "")),
                    str(labels["usia"].get(victim.band, "")),
                    relationships,
                    len(related),
                ]
        if progress:
            progress(min(start + BATCH, len(ids)), len(ids))


def write_csv(rows, watermark: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(watermark)])
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    return out.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def write_xlsx(rows, watermark: str) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("Kasus")
    mark = watermark.replace("&", "&&")
    sheet.set_header(f"&L{mark}&RRAHASIA")
    sheet.set_footer(f"&L{mark}")
    sheet.write_string(0, 0, neutralise(watermark), bold)
    for col, label in enumerate(COLUMNS):
        sheet.write_string(1, col, label, bold)
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    index = 1
    for index, row in enumerate(rows, start=2):
        for col, value in enumerate(row):
            if isinstance(value, int):
                sheet.write_number(index, col, value)
            elif isinstance(value, dt.date):
                sheet.write_datetime(index, col, dt.datetime.combine(value, dt.time()), dates)
            elif value != "":
                sheet.write_string(index, col, neutralise(str(value)))
    sheet.autofilter(1, 0, index, len(COLUMNS) - 1)
    sheet.freeze_panes(2, 1)
    book.close()
    return buffer.getvalue()


def _csv_value(value) -> str | int:
    if isinstance(value, int):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()  # unambiguous in every locale's spreadsheet
    return neutralise(str(value))


def watermark(user, at=None) -> str:
    """Who took the file out, and when: printed on every sheet so a leaked copy points back to its source."""
    when = timezone.localtime(at or timezone.now())
    return f"Diekspor oleh {user.full_name} ({user.email}) pada {when:%d-%m-%Y %H:%M} WIB"
