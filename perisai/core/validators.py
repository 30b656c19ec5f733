"""Validators for Indonesian identity data."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def nik_birth_date(nik: str) -> dt.date | None:
    """The birth date a NIK encodes (day + 40 for women), or None when it encodes no real date."""
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:
        day -= 40
    # Two-digit years: a NIK cannot encode a future birth, so roll back a century when needed.
    century = 2000 if 2000 + year <= dt.date.today().year else 1900
    try:
        return dt.date(century + year, month, day)
    except ValueError:
        return None


def validate_nik(value: str) -> None:
    """16 digits, a real birth date after removing the +40, serial not 0000. Area codes are not checked:
    people move and codes change. A valid NIK is never proof of identity."""
    if not value:
        return
    if not re.fullmatch(r"\d{16}", value):
        raise ValidationError(_("NIK harus 16 angka."), code="nik_format")
    if nik_birth_date(value) is None:
        raise ValidationError(_("Tanggal lahir di dalam NIK tidak valid (angka ke-7 sampai ke-12)."), code="nik_date")
    if value[12:] == "0000":
        raise ValidationError(_("Nomor urut NIK (4 angka terakhir) tidak boleh 0000."), code="nik_serial")
