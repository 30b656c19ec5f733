"""Reading the office's register files: xlsx, xls, ods (python-calamine) and csv, as rows of cell values.

Calamine gives a merged cell's value in its top-left cell only and numbers as floats; dates come as dates when
the sheet formats them so, otherwise as Excel serial numbers or text (values.py reads all three). Nothing here
knows what a column means."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from python_calamine import CalamineWorkbook

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000


class UnreadableFile(ValueError):
    """The file is not a spreadsheet or CSV Perisai can read; the message is for the person who sent it."""


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list[object]]


def read_sheet(content: bytes, filename: str) -> Sheet:
    """The first sheet with data (or the CSV), trailing empty rows dropped."""
    if len(content) > MAX_BYTES:
        raise UnreadableFile("Berkas lebih dari 10 MB. Bagi menjadi beberapa berkas.")
    name = filename.lower()
    if name.endswith(".csv"):
        rows = _csv_rows(content)
        sheet = Sheet(filename, rows)
    elif name.endswith(SPREADSHEETS):
        try:
            book = CalamineWorkbook.from_filelike(io.BytesIO(content))
            sheet = next(
                (
                    Sheet(title, rows)
                    for title in book.sheet_names
                    if (rows := book.get_sheet_by_name(title).to_python(skip_empty_area=False))
                ),
                Sheet(filename, []),
            )
        except Exception as error:  # calamine raises its own error types for every kind of broken file
            raise UnreadableFile("Berkas tidak dapat dibaca sebagai lembar kerja (xlsx, xls, ods).") from error
    else:
        raise UnreadableFile("Pilih berkas xlsx, xls, ods, atau csv.")
    rows = [list(row) for row in sheet.rows]
    while rows and all(_blank(value) for value in rows[-1]):
        rows.pop()
    if len(rows) > MAX_ROWS:
        raise UnreadableFile(f"Berkas lebih dari {MAX_ROWS} baris. Bagi menjadi beberapa berkas.")
    return Sheet(sheet.name, rows)


def _csv_rows(content: bytes) -> list[list[object]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise UnreadableFile("Berkas CSV tidak dapat dibaca. Simpan ulang sebagai CSV UTF-8.")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row in csv.reader(io.StringIO(text), dialect)]


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
