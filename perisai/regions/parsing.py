"""Checks region CSV files row by row, without touching the database or the live model.

Pure functions on purpose: data migrations use them with historical models, and a whole file must be
checked before anything is written. The one question that needs the database (does this parent code
exist?) is asked through the `codes_in_db` callable the caller passes in.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from perisai.regions.choices import RegionLevel

REGION_HEADER = ("code", "name", "level", "parent_code")
ALIAS_HEADER = ("code", "alias")
# Mirrors Region.name.max_length (a test keeps them equal): PostgreSQL would reject a longer name
# half-way through the write, SQLite would silently store it.
NAME_MAX_LENGTH = 100

_N2, _N4 = "[0-9]{2}", "[0-9]{4}"
CODE_FORMATS: dict[str, tuple[str, re.Pattern[str]]] = {
    RegionLevel.PROVINSI: ("NN", re.compile(_N2)),
    RegionLevel.KOTA: ("NN.NN", re.compile(rf"{_N2}\.{_N2}")),
    RegionLevel.KABUPATEN: ("NN.NN", re.compile(rf"{_N2}\.{_N2}")),
    RegionLevel.KECAMATAN: ("NN.NN.NN", re.compile(rf"{_N2}\.{_N2}\.{_N2}")),
    RegionLevel.KELURAHAN: ("NN.NN.NN.NNNN", re.compile(rf"{_N2}\.{_N2}\.{_N2}\.{_N4}")),
    RegionLevel.DESA: ("NN.NN.NN.NNNN", re.compile(rf"{_N2}\.{_N2}\.{_N2}\.{_N4}")),
}

CodesInDb = Callable[[set[str]], set[str]]


class RegionFileInvalid(Exception):
    """The file was rejected as a whole; `errors` holds one Indonesian message per problem."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class RegionRow:
    line: int
    code: str
    name: str
    level: str
    parent_code: str  # "" for a province


@dataclass(frozen=True)
class AliasRow:
    line: int
    code: str
    alias: str


def _problem(line: int, message: str, **params) -> tuple[int, str]:
    return line, message % {"line": line, **params}


Problems = list[tuple[int, str]]  # (line number, message), sorted by line before they are raised


def _read(lines: Iterable[str], header: tuple[str, ...], errors: Problems) -> Iterator[tuple[int, list[str]]]:
    """Yields (line number, stripped cells) for each non-blank data row; problems go to `errors`."""
    reader = csv.reader(lines)
    columns = ",".join(header)
    try:
        first = next(reader, None)
        if first is None:
            message = _("Berkas kosong: baris pertama harus berisi kolom %(columns)s.")
            errors.append(_problem(1, message, columns=columns))
            return
        found = [cell.strip().lstrip("\ufeff") for cell in first]  # a BOM survives when not opened as utf-8-sig
        if tuple(found) != header:
            message = _("Baris %(line)d: kolom harus %(columns)s (ditemukan: %(found)s).")
            errors.append(_problem(1, message, columns=columns, found=",".join(found)))
            return
        for cells in reader:
            stripped = [cell.strip() for cell in cells]
            if not any(stripped):
                continue  # blank lines, typically a trailing one, carry no data
            if len(stripped) != len(header):
                message = _("Baris %(line)d: harus ada %(expected)d kolom (%(columns)s), ditemukan %(count)d.")
                errors.append(
                    _problem(reader.line_num, message, expected=len(header), columns=columns, count=len(stripped))
                )
                continue
            yield reader.line_num, stripped
    except csv.Error as exc:
        errors.append(_problem(reader.line_num, _("Baris %(line)d: CSV rusak (%(error)s)."), error=exc))


def _raise_if(errors: Problems) -> None:
    if errors:
        # Stable sort: per line, messages stay in the order the checks found them.
        raise RegionFileInvalid([message for _line, message in sorted(errors, key=lambda item: item[0])])


def _check_region_row(row: RegionRow) -> Problems:
    line, problems = row.line, []
    if not row.name:
        problems.append(_problem(line, _("Baris %(line)d: nama wilayah kosong.")))
    elif len(row.name) > NAME_MAX_LENGTH:
        message = _("Baris %(line)d: nama wilayah lebih dari %(max)d karakter.")
        problems.append(_problem(line, message, max=NAME_MAX_LENGTH))
    if row.level not in CODE_FORMATS:
        message = _("Baris %(line)d: tingkat '%(level)s' tidak dikenal (pilihan: %(levels)s).")
        problems.append(_problem(line, message, level=row.level, levels=", ".join(RegionLevel.values)))
        return problems
    label, pattern = CODE_FORMATS[row.level]
    if not pattern.fullmatch(row.code):
        message = _("Baris %(line)d: kode '%(code)s' tidak sesuai format %(level)s (%(format)s).")
        problems.append(_problem(line, message, code=row.code, level=row.level, format=label))
        return problems  # without a well-formed code there is no expected parent to compare with
    expected = row.code.rpartition(".")[0]
    args = {"code": row.code, "parent": row.parent_code, "expected": expected}
    if row.level == RegionLevel.PROVINSI and row.parent_code:
        message = _("Baris %(line)d: provinsi tidak mempunyai induk; kode induk harus kosong (ditemukan '%(parent)s').")
        problems.append(_problem(line, message, **args))
    elif expected and not row.parent_code:
        problems.append(_problem(line, _("Baris %(line)d: kode induk kosong; seharusnya '%(expected)s'."), **args))
    elif row.parent_code != expected:
        message = _("Baris %(line)d: kode induk '%(parent)s' bukan awalan kode '%(code)s' (seharusnya '%(expected)s').")
        problems.append(_problem(line, message, **args))
    return problems


def parse_region_rows(lines: Iterable[str], *, codes_in_db: CodesInDb) -> list[RegionRow]:
    """Every row of a `code,name,level,parent_code` file, or RegionFileInvalid listing every bad row."""
    errors: Problems = []
    rows: list[RegionRow] = []
    first_line: dict[str, int] = {}
    for line, (code, name, level, parent_code) in _read(lines, REGION_HEADER, errors):
        row = RegionRow(line=line, code=code, name=name, level=level.lower(), parent_code=parent_code)
        problems = _check_region_row(row)
        errors.extend(problems)
        if code in first_line:
            message = _("Baris %(line)d: kode '%(code)s' sudah ada di baris %(first)d.")
            errors.append(_problem(line, message, code=code, first=first_line[code]))
            continue
        first_line[code] = line
        if not problems:
            rows.append(row)
    # A parent may come later in the file or already be in the database; only ask the database
    # about the ones the file does not define (bad rows count as defined, to avoid follow-on errors).
    outside = {row.parent_code for row in rows if row.parent_code and row.parent_code not in first_line}
    known = codes_in_db(outside) if outside else set()
    for row in rows:
        if row.parent_code in outside and row.parent_code not in known:
            message = _("Baris %(line)d: induk '%(parent)s' tidak ada di berkas maupun di basis data.")
            errors.append(_problem(row.line, message, parent=row.parent_code))
    if not errors and not rows:
        errors.append((1, _("Berkas tidak berisi satu baris wilayah pun.")))
    _raise_if(errors)
    return rows


def parse_alias_rows(lines: Iterable[str], *, codes_in_db: CodesInDb) -> list[AliasRow]:
    """Every row of a `code,alias` file, or RegionFileInvalid; each code must already be in the database."""
    errors: Problems = []
    rows = [AliasRow(line=line, code=code, alias=alias) for line, (code, alias) in _read(lines, ALIAS_HEADER, errors)]
    known = codes_in_db({row.code for row in rows}) if rows else set()
    for row in rows:
        if not row.alias:
            errors.append(_problem(row.line, _("Baris %(line)d: nama lain kosong.")))
        elif len(row.alias) > NAME_MAX_LENGTH:
            message = _("Baris %(line)d: nama lain lebih dari %(max)d karakter.")
            errors.append(_problem(row.line, message, max=NAME_MAX_LENGTH))
        if row.code not in known:
            message = _("Baris %(line)d: wilayah '%(code)s' tidak ada di basis data.")
            errors.append(_problem(row.line, message, code=row.code))
    _raise_if(errors)
    return rows
