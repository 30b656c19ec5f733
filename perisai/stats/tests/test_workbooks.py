"""Every workbook Perisai hands out keeps numbers as numbers and dates as dates (read back with openpyxl), opens
in LibreOffice, and formulas written over its numbers compute there (checked with `soffice --headless` where it
is installed; CI installs it). KDRT follows SIMFONI's definition in the demo's household cases."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from perisai.cases.models import Case
from perisai.stats import counting, exports, simfoni
from perisai.stats.periods import Period

PERIOD = Period(dt.date(2023, 1, 1), dt.date(2023, 9, 30))
DIGITS = re.compile(r"-?\d+(\.\d+)?")
TEXT_BY_DESIGN = {"NIK korban"}  # 16 digits: more than a spreadsheet number holds, and leading zeros matter
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _workbooks(facts) -> dict[str, bytes]:
    cases = Case.objects.all()
    return {
        "recap": simfoni.recap_xlsx(facts, place="Kota Cilegon", watermark="Diekspor oleh Uji"),
        "listing": simfoni.listing_xlsx(simfoni.listing_rows(facts, cases), facts=facts, watermark="Uji"),
        "initials": simfoni.listing_xlsx(
            simfoni.listing_rows(facts, cases, detail=simfoni.INITIALS),
            facts=facts,
            watermark="Uji",
            detail=simfoni.INITIALS,
        ),
        "export": exports.write_xlsx(list(exports.case_rows(facts, cases)), "Diekspor oleh Uji"),
    }


def _table(sheet, header: str) -> tuple[int, list[str]]:
    """The row holding the column headers (the first row whose first cell is `header`) and those headers."""
    for row in sheet.iter_rows():
        if row[0].value == header:
            return row[0].row, [cell.value for cell in row]
    raise AssertionError(f"no table headed {header!r} in {sheet.title}")


def _libreoffice_csv(content: bytes, tmp_path: Path) -> dict[str, list[list[str]]]:
    """Open the workbook in LibreOffice and save every sheet as CSV (so formulas are computed by LibreOffice)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    source = tmp_path / "book.xlsx"
    source.write_bytes(content)
    # Filter options: comma, double quote, UTF-8, from line 1, ..., and -1 = every sheet to its own file.
    target = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    sheets = {}
    for path in (tmp_path / "out").glob("book-*.csv"):
        sheets[path.stem.removeprefix("book-")] = list(csv.reader(path.open(encoding="utf-8")))
    return sheets


class WorkbookTests:
    def test_numbers_are_numbers_and_dates_are_dates(self, demo):
        facts = counting.facts_for(PERIOD)
        for name, content in _workbooks(facts).items():
            book = openpyxl.load_workbook(io.BytesIO(content))
            numbers = 0
            for sheet in book.worksheets:
                headers: list = []
                for row in sheet.iter_rows():
                    if row[0].value in ("No. registrasi", "Kategori", "Kelompok usia"):
                        headers = [cell.value for cell in row]
                        continue
                    for cell in row:
                        column = headers[cell.column - 1] if cell.column <= len(headers) else None
                        if isinstance(cell.value, str) and column not in TEXT_BY_DESIGN:
                            assert not DIGITS.fullmatch(cell.value), (
                                f"{name}/{sheet.title}!{cell.coordinate}: {cell.value}"
                            )
                        numbers += isinstance(cell.value, int)
                        if column and column.startswith("Tanggal") and cell.value is not None:
                            assert isinstance(cell.value, dt.datetime), f"{name}/{sheet.title}!{cell.coordinate}"
            assert numbers > 40, name

    def test_kdrt_follows_who_did_it_and_where(self, demo):
        facts = counting.facts_for(PERIOD)
        rows = simfoni.listing_rows(facts, Case.objects.all())
        columns = simfoni.listing_columns(simfoni.FULL)
        at = {name: columns.index(name) for name in ("KDRT", "Tempat kejadian", "Pelaku: hubungan dengan korban")}
        expected = []
        for row in rows:
            relationship, place = row[at["Pelaku: hubungan dengan korban"]], row[at["Tempat kejadian"]]
            # UU 23/2004 Pasal 2, written out independently of the code: a parent or spouse anywhere; a relative
            # or an employer at home.
            household = relationship in ("Orang Tua", "Suami/Istri") or (
                relationship in ("Keluarga/Saudara", "Majikan") and place == "Rumah Tangga"
            )
            expected.append("Ya" if household else "Tidak")
        assert [row[at["KDRT"]] for row in rows] == expected
        parents_at_home = sum(
            1 for row in rows if row[at["Pelaku: hubungan dengan korban"]] == "Orang Tua" and row[at["Tempat kejadian"]]
        )
        assert parents_at_home >= 10 and expected.count("Ya") >= parents_at_home
        recap = openpyxl.load_workbook(io.BytesIO(simfoni.recap_xlsx(facts, place="Uji", watermark="Uji")))
        summary = {row[0]: row[1] for row in recap["Ringkasan"].iter_rows(values_only=True) if row[0]}
        one_row_per_victim = {(row[0], row[columns.index("Korban ke")]) for row in rows if row[at["KDRT"]] == "Ya"}
        assert summary["Anak korban KDRT (korban)"] == len(one_row_per_victim)

    @pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (make test installs it with apt)")
    def test_libreoffice_opens_every_workbook_and_computes_formulas_over_its_numbers(self, demo, tmp_path):
        facts = counting.facts_for(PERIOD)
        for name, content in _workbooks(facts).items():
            book = openpyxl.load_workbook(io.BytesIO(content))
            expected = {}
            for sheet in book.worksheets:
                # A formula over each numeric column, as an analyst would add one: its result must be the column's sum.
                header_row = next(
                    (row[0].row for row in sheet.iter_rows() if row[0].value in ("No. registrasi", "Kategori")), None
                )
                if header_row is None:
                    continue
                last = sheet.max_row
                for column in range(1, sheet.max_column + 1):
                    values = [sheet.cell(row, column).value for row in range(header_row + 1, last + 1)]
                    numbers = [value for value in values if isinstance(value, int)]
                    if not numbers or isinstance(values[0], dt.datetime):
                        continue
                    letter = openpyxl.utils.get_column_letter(column)
                    sheet.cell(last + 2, column, f"=SUM({letter}{header_row + 1}:{letter}{last})")
                    expected[(sheet.title, last + 2, column)] = sum(numbers)
            assert expected, name
            buffer = io.BytesIO()
            book.save(buffer)
            computed = _libreoffice_csv(buffer.getvalue(), tmp_path / name)
            assert set(computed) == {sheet.title for sheet in book.worksheets}, name
            for (title, row, column), total in expected.items():
                assert computed[title][row - 1][column - 1] == str(total), (name, title, row, column)
