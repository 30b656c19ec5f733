"""The dry run: what a register file would become (cases, victims, perpetrators) and every row's problems, in
Indonesian, before anything is written. One row per victim (or per victim and perpetrator, as Perisai's own
SIMFONI listing has it); the rows of one case share its number in the register ("case key")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from perisai.imports import values
from perisai.imports.columns import BY_KEY, FIELDS, find_header, guess_mapping, header_texts
from perisai.imports.models import ImportedCase
from perisai.imports.reading import Sheet
from perisai.regions import selectors as regions

CASE_FIELDS = ("report_date", "incident_date", "kecamatan", "kelurahan", "place", "chronology")


@dataclass(frozen=True)
class RowProblem:
    row: int  # as the spreadsheet numbers it (1 = first row)
    column: str
    message: str


@dataclass
class VictimPlan:
    number: int
    fields: dict = field(default_factory=dict)  # name, nik, birth_date, estimated_age, sex, address, violence_types


@dataclass
class PerpetratorPlan:
    number: int
    fields: dict = field(default_factory=dict)  # sex, age
    relationships: dict[int, str] = field(default_factory=dict)  # victim number -> relationship code


@dataclass
class CasePlan:
    key: str
    first_row: int
    fields: dict = field(default_factory=dict)  # report_date, incident_date, kecamatan, kelurahan, place, chronology
    victims: dict[int, VictimPlan] = field(default_factory=dict)
    perpetrators: dict[int, PerpetratorPlan] = field(default_factory=dict)
    imported_before: bool = False

    @property
    def types(self) -> list[str]:
        return sorted({t for victim in self.victims.values() for t in victim.fields.get("violence_types", [])})


@dataclass
class Plan:
    header_row: int  # 0-based
    headers: list[str]
    mapping: dict[str, int]
    cases: list[CasePlan]
    problems: list[RowProblem]
    rows_read: int

    @property
    def ok(self) -> bool:
        return not self.problems and any(not case.imported_before for case in self.cases)

    @property
    def new_cases(self) -> list[CasePlan]:
        return [case for case in self.cases if not case.imported_before]

    @property
    def skipped_cases(self) -> int:
        return len(self.cases) - len(self.new_cases)

    def problems_by_row(self) -> list[tuple[int, list[RowProblem]]]:
        rows: dict[int, list[RowProblem]] = {}
        for problem in self.problems:
            rows.setdefault(problem.row, []).append(problem)
        return sorted(rows.items())


class Regions:
    """Kecamatan and kelurahan of the city by name, alias or code, with suggestions for near misses."""

    def __init__(self):
        self.kecamatan = list(regions.kecamatan_of_city())
        self.kelurahan = {k.code: list(regions.kelurahan_of(k.code)) for k in self.kecamatan}

    @staticmethod
    def _find(wanted: object, candidates, what: str, where: str = ""):
        text = values.normalise(wanted)
        for region in candidates:
            if text in {values.normalise(region.name), region.code, *(values.normalise(a) for a in region.aliases)}:
                return region
        official = {region.name: region.name for region in candidates}
        official.update({alias: region.name for region in candidates for alias in region.aliases})
        close = [official[name] for name in values.suggest(str(wanted), list(official))]
        hint = f" Mungkin maksudnya: {', '.join(dict.fromkeys(close))}." if close else ""
        raise values.Problem(f"{what} “{wanted}” tidak dikenal{where}.{hint}")

    def kecamatan_named(self, wanted: object):
        return self._find(wanted, self.kecamatan, "Kecamatan")

    def kelurahan_named(self, wanted: object, kecamatan):
        if kecamatan is None:
            candidates = [k for group in self.kelurahan.values() for k in group]
            return self._find(wanted, candidates, "Kelurahan")
        return self._find(wanted, self.kelurahan[kecamatan.code], "Kelurahan", f" di Kecamatan {kecamatan.name}")


READERS = {
    "report_date": values.read_date,
    "incident_date": values.read_date,
    "place": values.read_place,
    "types": values.read_types,
    "nik": values.read_nik,
    "birth_date": values.read_date,
    "age": values.read_age,
    "sex": values.read_sex,
    "relationship": values.read_relationship,
    "perpetrator_sex": values.read_sex,
    "perpetrator_age": values.read_age,
    "victim_number": values.read_age,  # a small whole number
    "perpetrator_number": values.read_age,
}


def make_plan(sheet: Sheet, mapping: dict[str, int] | None = None) -> Plan:
    header_row = find_header(sheet.rows)
    headers = header_texts(sheet.rows, header_row) if sheet.rows else []
    mapping = dict(mapping) if mapping else guess_mapping(headers)
    problems = [
        RowProblem(header_row + 1, field.label, f"Kolom “{field.label}” belum dipilih.")
        for field in FIELDS
        if field.required and field.key not in mapping
    ]
    places = Regions()
    today = timezone.localdate()
    cases: dict[str, CasePlan] = {}
    data_rows = 0
    for index in range(header_row + 1, len(sheet.rows)):
        raw = sheet.rows[index]
        if all(values.blank(cell) for cell in raw):
            continue
        data_rows += 1
        row_number = index + 1
        found, row_problems = _read_row(raw, mapping, places, row_number)
        problems += row_problems
        key = found.get("case_key")
        if not key:
            continue
        if found.get("report_date"):
            # Registers number their cases again every year: "12" of 2023 and "12" of 2024 are two cases.
            key = f"{key} ({found['report_date'].year})"
        _check_dates(found, today, row_number, problems)
        case = cases.setdefault(key, CasePlan(key=key, first_row=row_number))
        _merge_case(case, found, row_number, problems)
    known = set(ImportedCase.objects.filter(case_key__in=list(cases)).values_list("case_key", flat=True))
    for case in cases.values():
        case.imported_before = case.key in known
    if not problems and data_rows == 0:
        problems.append(RowProblem(header_row + 2, "", "Tidak ada baris data di bawah judul kolom."))
    return Plan(header_row, headers, mapping, list(cases.values()), problems, data_rows)


def _read_row(raw: list, mapping: dict[str, int], places: Regions, row_number: int) -> tuple[dict, list]:
    found: dict = {}
    problems: list[RowProblem] = []

    def cell(key: str):
        column = mapping.get(key)
        return raw[column] if column is not None and column < len(raw) else None

    for key in mapping:
        value = cell(key)
        if values.blank(value):
            if BY_KEY[key].required:
                problems.append(RowProblem(row_number, BY_KEY[key].label, f"{BY_KEY[key].label} kosong."))
            continue
        try:
            if key == "case_key":
                found[key] = str(int(value) if isinstance(value, float) and value.is_integer() else value).strip()
            elif key == "kecamatan":
                found[key] = places.kecamatan_named(value)
            elif key in READERS:
                found[key] = READERS[key](value)
            elif key != "kelurahan":
                found[key] = str(value).strip()
        except values.Problem as problem:
            problems.append(RowProblem(row_number, BY_KEY[key].label, str(problem)))
    kelurahan = cell("kelurahan")
    if "kelurahan" in mapping and not values.blank(kelurahan):
        try:
            found["kelurahan"] = places.kelurahan_named(kelurahan, found.get("kecamatan"))
            found.setdefault("kecamatan", found["kelurahan"].parent)
        except values.Problem as problem:
            problems.append(RowProblem(row_number, BY_KEY["kelurahan"].label, str(problem)))
    return found, problems


def _check_dates(found: dict, today: dt.date, row: int, problems: list[RowProblem]) -> None:
    report, incident, birth = found.get("report_date"), found.get("incident_date"), found.get("birth_date")
    if report and report > today:
        problems.append(RowProblem(row, BY_KEY["report_date"].label, "Tanggal laporan di masa depan."))
    if report and incident and incident > report:
        problems.append(RowProblem(row, BY_KEY["incident_date"].label, "Tanggal kejadian sesudah tanggal laporan."))
    if birth and "age" in found:
        on = incident or report or today
        years = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
        if abs(years - found["age"]) > 1:
            problems.append(
                RowProblem(
                    row,
                    BY_KEY["age"].label,
                    f"Usia {found['age']} tidak cocok dengan tanggal lahir ({years} tahun saat kejadian).",
                )
            )


def _merge_case(case: CasePlan, found: dict, row: int, problems: list[RowProblem]) -> None:
    for key in CASE_FIELDS:
        if key not in found:
            continue
        if key in case.fields and case.fields[key] != found[key]:
            problems.append(
                RowProblem(row, BY_KEY[key].label, f"Berbeda dengan baris {case.first_row} untuk kasus {case.key}.")
            )
        case.fields.setdefault(key, found[key])
    number = found.get("victim_number") or len(case.victims) + 1
    victim = case.victims.setdefault(number, VictimPlan(number))
    for source, target in [
        ("victim_name", "name"),
        ("nik", "nik"),
        ("birth_date", "birth_date"),
        ("age", "estimated_age"),
        ("sex", "sex"),
        ("address", "address"),
        ("types", "violence_types"),
    ]:
        if source in found:
            if target in victim.fields and victim.fields[target] != found[source]:
                problems.append(
                    RowProblem(row, BY_KEY[source].label, f"Berbeda dengan baris lain untuk korban {number}.")
                )
            victim.fields.setdefault(target, found[source])
    has_perpetrator = any(key in found for key in ("relationship", "perpetrator_sex", "perpetrator_age"))
    if not has_perpetrator:
        return
    pnumber = found.get("perpetrator_number") or len(case.perpetrators) + 1
    perpetrator = case.perpetrators.setdefault(pnumber, PerpetratorPlan(pnumber))
    if "perpetrator_sex" in found:
        perpetrator.fields.setdefault("sex", found["perpetrator_sex"])
    if "perpetrator_age" in found:
        perpetrator.fields.setdefault("age", found["perpetrator_age"])
    perpetrator.relationships[number] = found.get("relationship", "na")
