"""The office's holidays, pasted as a list: the SKB 3 Menteri gives about twenty-five days a year at once."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_LINES = 100
# 2027-01-01, 01-01-2027 or 01/01/2027, then the name; a separator ("-", ":", a tab) between them is allowed.
_LINE = re.compile(r"^\s*(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})\s*[-–:,\t]?\s*(.*?)\s*$")


def _parse_date(text: str) -> dt.date:
    """Year first (ISO), or day first as Indonesians write dates: never month first."""
    first, second, third = re.split(r"[-/.]", text)
    if len(first) == 4:
        return dt.date(int(first), int(second), int(third))
    return dt.date(int(third), int(second), int(first))


class HolidaysForm(forms.Form):
    days = forms.CharField(
        label=_("Hari libur yang ditambahkan"),
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        error_messages={"required": _("Tuliskan paling sedikit satu tanggal.")},
        help_text=_(
            "Satu hari per baris: tanggal, lalu keterangannya. Contoh: 2027-01-01 Tahun Baru Masehi, atau "
            "17/08/2027 Hari Kemerdekaan. Tanggal yang sudah ada diganti keterangannya."
        ),
    )

    def clean_days(self) -> list[tuple[dt.date, str]]:
        lines = [
            (number, line) for number, line in enumerate(self.cleaned_data["days"].splitlines(), 1) if line.strip()
        ]
        if len(lines) > MAX_LINES:
            raise forms.ValidationError(_("Paling banyak %(n)s baris sekaligus.") % {"n": MAX_LINES})
        days, problems = {}, []
        for number, line in lines:
            found = _LINE.match(line)
            if not found:
                problems.append(_("Baris %(n)s: awali dengan tanggal, misalnya 2027-01-01.") % {"n": number})
                continue
            try:
                day = _parse_date(found[1])
            except ValueError:
                problems.append(_("Baris %(n)s: tanggal %(date)s tidak ada.") % {"n": number, "date": found[1]})
                continue
            if not found[2]:
                problems.append(_("Baris %(n)s: tuliskan keterangan setelah tanggal.") % {"n": number})
                continue
            if not 2000 <= day.year <= 2100:
                problems.append(_("Baris %(n)s: periksa tahunnya.") % {"n": number})
                continue
            days[day] = found[2][:120]
        if problems:
            raise forms.ValidationError(problems)
        return sorted(days.items())


class HolidayRemoveForm(forms.Form):
    date = forms.DateField(widget=forms.HiddenInput)
