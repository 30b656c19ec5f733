"""One cell of an office register, read as Perisai's value, or a problem said in plain Indonesian.

Registers are typed by hand over years: dates as text ("12 Maret 2024", "12-03-2024"), as Excel serial numbers or
as dates; NIK with dots or spaces, or as a number that lost its last digits; "P"/"L" or the words; kecamatan
names spelled as people say them ("Grogol" for Gerogol). Each reader returns the value or raises Problem."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata

from perisai.core.simfoni import PerpetratorRelationship, PlaceOfOccurrence, Sex, ViolenceType


class Problem(ValueError):
    """What is wrong with one cell, in words the office's staff use."""


MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "feb": 2, "pebruari": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "agus": 8, "ags": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "nopember": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}  # fmt: skip
EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01, with Excel's 1900 leap-year bug absorbed


def normalise(text: object) -> str:
    """Lower case, no accents, punctuation as spaces, single spaces: for matching headers and names."""
    value = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", value.lower()).split())


def blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20_000 <= value <= 80_000:  # 1954..2119 as an Excel serial number
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise Problem(f"Angka {value:g} bukan tanggal.")
    text = normalise(value)
    if not text:
        raise Problem("Tanggal kosong.")
    parts = text.split()
    try:
        if len(parts) == 3 and parts[1] in MONTHS:  # 12 maret 2024
            day, month, year = int(parts[0]), MONTHS[parts[1]], int(parts[2])
        elif len(parts) == 3 and len(parts[0]) == 4:  # 2024 03 12 (ISO, dashes became spaces)
            year, month, day = (int(p) for p in parts)
        elif len(parts) == 3:  # 12 03 2024 or 12/3/24: Indonesian order, day first
            day, month, year = (int(p) for p in parts)
        else:
            raise Problem(f"“{value}” bukan tanggal lengkap (tulis misalnya 12 Maret 2024 atau 12-03-2024).")
        if year < 100:
            year += 2000
        return dt.date(year, month, day)
    except (ValueError, KeyError):
        raise Problem(f"“{value}” bukan tanggal yang benar (tulis misalnya 12 Maret 2024 atau 12-03-2024).") from None


def read_nik(value: object) -> str:
    if isinstance(value, float) and value >= 1e15:
        # Excel keeps 15 significant digits: a 16-digit NIK typed as a number has lost its last one.
        raise Problem("NIK tersimpan sebagai angka dan angka terakhirnya hilang. Simpan kolom NIK sebagai teks.")
    digits = re.sub(r"[\s.\-]", "", str(int(value) if isinstance(value, int | float) else value))
    if not re.fullmatch(r"\d{16}", digits):
        raise Problem(f"NIK harus 16 angka (tertulis {len(digits)} angka).")  # never the NIK itself: it is printed
    return digits


def read_age(value: object) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        age = int(value)
    else:
        match = re.fullmatch(r"(\d{1,3})\s*(th|thn|tahun)?", normalise(value))
        if not match:
            raise Problem(f"Usia “{value}” bukan angka tahun.")
        age = int(match.group(1))
    if not 0 <= age <= 120:
        raise Problem(f"Usia {age} tidak mungkin.")
    return age


def _choice(value: object, choices, aliases: dict[str, str], what: str) -> str:
    wanted = normalise(value)
    table = {normalise(label): code for code, label in choices}
    table.update({normalise(code): code for code, _label in choices if code})
    table.update(aliases)
    if wanted in table:
        return table[wanted]
    known = ", ".join(str(label) for code, label in choices if code)
    raise Problem(f"{what} “{value}” tidak dikenal. Pilihan: {known}.")


SEX_ALIASES = {"p": Sex.FEMALE, "pr": Sex.FEMALE, "wanita": Sex.FEMALE, "perempuan": Sex.FEMALE, "l": Sex.MALE,
               "lk": Sex.MALE, "laki": Sex.MALE, "laki laki": Sex.MALE, "pria": Sex.MALE}  # fmt: skip
TYPE_ALIASES = {"seks": ViolenceType.SEXUAL, "kekerasan seksual": ViolenceType.SEXUAL, "pelecehan seksual":
                ViolenceType.SEXUAL, "pencabulan": ViolenceType.SEXUAL, "persetubuhan": ViolenceType.SEXUAL,
                "psikologis": ViolenceType.PSYCHOLOGICAL, "penelantaran anak": ViolenceType.NEGLECT,
                "eksploitasi ekonomi": ViolenceType.EXPLOITATION, "perdagangan orang": ViolenceType.TRAFFICKING,
                "tppo": ViolenceType.TRAFFICKING}  # fmt: skip
RELATIONSHIP_ALIASES = {"ayah": "orang_tua", "ibu": "orang_tua", "ayah tiri": "orang_tua", "ibu tiri": "orang_tua",
                        "bapak": "orang_tua", "orang tua": "orang_tua", "paman": "keluarga", "kakek": "keluarga",
                        "kakak": "keluarga", "saudara": "keluarga", "keluarga": "keluarga", "sepupu": "keluarga",
                        "pacar": "pacar_teman", "teman": "pacar_teman", "na": "na", "tidak diketahui": "na",
                        "suami": "suami_istri", "istri": "suami_istri"}  # fmt: skip
PLACE_ALIASES = {"rumah": "rumah_tangga", "rumah tangga": "rumah_tangga", "sekolah": "sekolah",
                 "tempat umum": "fasilitas_umum", "jalan": "fasilitas_umum"}  # fmt: skip


def read_sex(value: object) -> str:
    return _choice(value, [c for c in Sex.choices if c[0]], SEX_ALIASES, "Jenis kelamin")


def read_relationship(value: object) -> str:
    return _choice(value, PerpetratorRelationship.choices, RELATIONSHIP_ALIASES, "Hubungan pelaku")


def read_place(value: object) -> str:
    return _choice(value, PlaceOfOccurrence.choices, PLACE_ALIASES, "Tempat kejadian")


def read_types(value: object) -> list[str]:
    """ "Seksual, Psikis" or "fisik dan psikis" or "Fisik; Penelantaran": SIMFONI's types, several allowed."""
    parts = [p for p in re.split(r"\s*(?:,|;|/|\+|\bdan\b)\s*", str(value or "")) if p.strip()]
    if not parts:
        raise Problem("Jenis kekerasan kosong.")
    return sorted({_choice(part, ViolenceType.choices, TYPE_ALIASES, "Jenis kekerasan") for part in parts})


def read_yes_no(value: object) -> bool:
    text = normalise(value)
    if text in {"ya", "y", "yes", "1", "true", "benar"}:
        return True
    if text in {"tidak", "t", "no", "0", "false", "", "bukan"}:
        return False
    raise Problem(f"“{value}”: tulis Ya atau Tidak.")


def suggest(wanted: str, names: list[str]) -> list[str]:
    """Known names close to what was typed ("Grogol" -> "Gerogol")."""
    by_normal = {normalise(name): name for name in names}
    return [by_normal[n] for n in difflib.get_close_matches(normalise(wanted), list(by_normal), n=3, cutoff=0.6)]
