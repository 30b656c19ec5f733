"""Which column of a register holds what: the fields Perisai can import, the header names offices use for them,
and where the header row is (registers often have a title, a period line and merged group headers above it)."""

from __future__ import annotations

from dataclasses import dataclass

from perisai.imports.values import blank, normalise


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # in the mapping form
    aliases: tuple[str, ...]  # header names, normalised (values.normalise)
    required: bool = False


FIELDS = [
    Field("case_key", "Nomor kasus di register", ("no registrasi", "no register", "nomor registrasi",
          "nomor register", "no reg", "no kasus", "nomor kasus", "no agenda", "kode kasus"), required=True),
    Field("report_date", "Tanggal laporan diterima", ("tanggal pelaporan", "tanggal laporan", "tgl laporan",
          "tgl lapor", "tanggal lapor", "tanggal pengaduan", "tgl pengaduan", "tanggal diterima"), required=True),
    Field("incident_date", "Tanggal kejadian", ("tanggal kejadian", "tgl kejadian", "waktu kejadian")),
    Field("kecamatan", "Kecamatan kejadian", ("kecamatan", "kec", "kecamatan kejadian", "kode kecamatan")),
    Field("kelurahan", "Kelurahan kejadian", ("kelurahan", "kel", "desa", "kelurahan desa", "kode kelurahan")),
    Field("place", "Tempat kejadian", ("tempat kejadian", "tkp", "lokasi kejadian")),
    Field("types", "Jenis kekerasan", ("jenis kekerasan", "jenis kasus", "bentuk kekerasan"), required=True),
    Field("chronology", "Kronologi", ("kronologi", "kronologis", "uraian", "keterangan kasus")),
    Field("victim_number", "Korban ke", ("korban ke", "no korban")),
    Field("victim_name", "Nama korban", ("nama korban", "nama anak", "nama", "inisial korban", "inisial")),
    Field("nik", "NIK korban", ("nik", "nik korban", "no nik")),
    Field("birth_date", "Tanggal lahir korban", ("tanggal lahir", "tgl lahir", "tanggal lahir korban")),
    Field("age", "Usia korban", ("usia", "umur", "usia korban", "umur korban", "korban usia saat kejadian",
          "usia saat kejadian")),
    Field("sex", "Jenis kelamin korban", ("jenis kelamin", "jk", "l p", "kelamin", "korban jenis kelamin",
          "jenis kelamin korban")),
    Field("address", "Alamat korban", ("alamat", "alamat korban")),
    Field("perpetrator_number", "Pelaku ke", ("pelaku ke", "no pelaku")),
    Field("relationship", "Hubungan pelaku dengan korban", ("hubungan pelaku", "hubungan pelaku dengan korban",
          "pelaku hubungan dengan korban", "hubungan dengan korban", "pelaku")),
    Field("perpetrator_sex", "Jenis kelamin pelaku", ("jenis kelamin pelaku", "pelaku jenis kelamin", "jk pelaku")),
    Field("perpetrator_age", "Usia pelaku", ("usia pelaku", "umur pelaku", "pelaku usia")),
]  # fmt: skip
BY_KEY = {field.key: field for field in FIELDS}
HEADER_SEARCH_ROWS = 15


def header_texts(rows: list[list[object]], header_row: int) -> list[str]:
    """The header of each column: its cell in the header row, or, under a merged group header with an empty
    cell there, the nearest text above it (a merged cell's value sits in its top-left cell only)."""
    width = max((len(row) for row in rows[: header_row + 1]), default=0)
    texts = []
    for col in range(width):
        text = ""
        for row in range(header_row, max(-1, header_row - 3), -1):
            cell = rows[row][col] if col < len(rows[row]) else None
            if not blank(cell):
                text = str(cell).strip()
                break
        texts.append(text)
    return texts


def find_header(rows: list[list[object]]) -> int:
    """The row, among the first ones, whose cells name the most known fields."""
    known = {alias for field in FIELDS for alias in field.aliases}
    scores = [
        (sum(normalise(cell) in known for cell in row), -index) for index, row in enumerate(rows[:HEADER_SEARCH_ROWS])
    ]
    if not scores:
        return 0
    best, minus_index = max(scores)
    return -minus_index if best else 0


def guess_mapping(headers: list[str]) -> dict[str, int]:
    """field key -> column index, by the known header names; an exact name beats a looser one."""
    mapping: dict[str, int] = {}
    normal = [normalise(text) for text in headers]
    for field in FIELDS:
        for alias in field.aliases:  # the aliases are in order of preference
            matches = [i for i, text in enumerate(normal) if text == alias and i not in mapping.values()]
            if matches:
                mapping[field.key] = matches[0]
                break
    return mapping


def mapping_from_template(saved: dict[str, str], headers: list[str]) -> dict[str, int]:
    """A saved template names columns by their header text: find them in this file's headers (spelling, case
    and spaces aside); a column the file does not have is left to the guess."""
    found = [normalise(text) for text in headers]
    return {key: found.index(normalise(text)) for key, text in saved.items() if normalise(text) in found}
