"""What a case-list export contains, and how it is written. Rows come from the counted facts (counting.py)
within the cases the case policy lets the requester open. No names, NIK or addresses: the register number
leads to the file for whoever may open it. Every text cell is neutralised (= + - @ start formulas)."""

from __future__ import annotations

import csv
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
    "Kecamatan (kode)",
    "Tempat kejadian",
    "Jenis kekerasan",
    "Anak korban (korban)",
    "Terduga pelaku (pelaku)",
]
BATCH = 200


def case_rows(facts: counting.Facts, cases, progress=None):
    """Yield one row per counted case the requester may open; `progress(done, total)` is called per batch."""
    ids = sorted(set(cases.filter(pk__in=facts.case_ids).values_list("pk", flat=True)))
    victims: dict[int, list[counting.VictimFact]] = {}
    for victim in facts.victims:
        victims.setdefault(victim.case_id, []).append(victim)
    perpetrators: dict[int, int] = {}
    for perpetrator in facts.perpetrators:
        perpetrators[perpetrator.case_id] = perpetrators.get(perpetrator.case_id, 0) + 1
    for start in range(0, len(ids), BATCH):
        for case in Case.objects.filter(pk__in=ids[start : start + BATCH]).order_by("opened_at"):
            mine = victims.get(case.pk, [])
            types = sorted({t for v in mine for t in v.types})
            yield [
                case.registration_number,
                case.get_status_display(),
                case.get_risk_display(),
                timezone.localtime(case.opened_at).date().isoformat(),
                case.incident_date.isoformat() if case.incident_date else "",
                mine[0].kecamatan if mine else "",
                case.get_place_display(),
                ", ".join(types),
                len(mine),
                perpetrators.get(case.pk, 0),
            ]
        if progress:
            progress(min(start + BATCH, len(ids)), len(ids))


def write_csv(rows, watermark: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(watermark)])
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([value if isinstance(value, int) else neutralise(str(value)) for value in row])
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
    for index, row in enumerate(rows, start=2):
        for col, value in enumerate(row):
            if isinstance(value, int):
                sheet.write_number(index, col, value)
            else:
                sheet.write_string(index, col, neutralise(str(value)))
    book.close()
    return buffer.getvalue()


def watermark(user, at=None) -> str:
    """Who took the file out, and when: printed on every sheet so a leaked copy points back to its source."""
    when = timezone.localtime(at or timezone.now())
    return f"Diekspor oleh {user.full_name} ({user.email}) pada {when:%d-%m-%Y %H:%M} WIB"
