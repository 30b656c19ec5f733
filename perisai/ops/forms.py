"""The office's holidays, pasted as a list: the SKB 3 Menteri gives about twenty-five days a year at once."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_LINES = 100
MAX_RANGE_DAYS = 31  # cuti bersama around Lebaran runs about a week; a month is surely a typing mistake
_DATE = r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})(?!\d)"
# A date (2027-01-01, 01-01-2027 or 01/01/2027) or a range of them ("2027-03-29 s.d. 2027-04-02", "... - ..."),
# then the name; a separator ("-", ":", a tab) between them is allowed.
_LINE = re.compile(
    rf"({_DATE})(?:\s*(?:-|–|—|s\.?\s?d\.?|s/d|sampai(?:\s+dengan)?|hingga)\s*({_DATE}))?\s*[-–—:,\t]?\s*(.*)",
    re.ASCII | re.IGNORECASE,
)
# A date left in the name: a range written in a way not understood ("2027-01-01 dan 2027-01-02"), or two dates.
_DATE_IN_NAME = re.compile(rf"(?<!\d){_DATE}", re.ASCII)
MAX_LINE = 300
MAX_DAYS = 400


def _parse_date(text: str) -> dt.date:
    """Year first (ISO), or day first as Indonesians write dates: never month first."""
    first, second, third = re.split(r"[-/.]", text)
    if len(first) == 4:
        return dt.date(int(first), int(second), int(third))
    return dt.date(int(third), int(second), int(first))


class HolidaysForm(forms.Form):
    days = forms.CharField(
        label=_("Hari libur yang ditambahkan"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        error_messages={"required": _("Tuliskan paling sedikit satu tanggal.")},
        help_text=_(
            "Satu hari atau satu rentang per baris: tanggal, lalu keterangannya. Contoh: 2027-01-01 Tahun Baru "
            "Masehi, 17/08/2027 Hari Kemerdekaan, atau 2027-03-29 s.d. 2027-04-02 Cuti bersama. Tanggal yang sudah "
            "ada diganti keterangannya."
        ),
    )

    def clean_days(self) -> list[tuple[dt.date, str]]:
        # NFKC: a list copied from a PDF or a web page has non-breaking spaces and other look-alikes.
        text = unicodedata.normalize("NFKC", self.cleaned_data["days"])
        lines = [(number, line.strip()) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
        if len(lines) > MAX_LINES:
            raise forms.ValidationError(_("Paling banyak %(n)s baris sekaligus.") % {"n": MAX_LINES})
        days, problems = {}, []
        for number, line in lines:
            if len(line) > MAX_LINE:
                problems.append(_("Baris %(n)s: terlalu panjang.") % {"n": number})
                continue
            found = _LINE.fullmatch(line)
            if not found:
                problems.append(_("Baris %(n)s: awali dengan tanggal, misalnya 2027-01-01.") % {"n": number})
                continue
            problem, dates = _dates_of(found[1], found[2])
            name = found[3]
            if problem is None and not name:
                problem = _("tuliskan keterangan setelah tanggal.")
            if problem is None and _DATE_IN_NAME.search(name):
                problem = _("satu tanggal per baris, atau rentang seperti 2027-03-29 s.d. 2027-04-02.")
            if problem is not None:
                problems.append(_("Baris %(n)s: %(problem)s") % {"n": number, "problem": problem})
                continue
            for day in dates:
                days[day] = name[:120]
        if problems:
            raise forms.ValidationError(problems)
        if len(days) > MAX_DAYS:
            raise forms.ValidationError(_("Paling banyak %(n)s hari sekaligus.") % {"n": MAX_DAYS})
        return sorted(days.items())


class HolidayRemoveForm(forms.Form):
    date = forms.DateField(widget=forms.HiddenInput)


def _dates_of(first: str, last: str | None) -> tuple[str | None, list[dt.date]]:
    """(what is wrong, or None; the days from first to last)."""
    parsed = []
    for text in filter(None, (first, last)):
        try:
            parsed.append(_parse_date(text))
        except ValueError:
            return _("tanggal %(date)s tidak ada.") % {"date": text}, []
    if not all(2000 <= day.year <= 2100 for day in parsed):
        return _("periksa tahunnya."), []
    start, end = parsed[0], parsed[-1]
    if end < start or (end - start).days >= MAX_RANGE_DAYS:
        return _("periksa rentang tanggalnya (paling lama %(n)s hari).") % {"n": MAX_RANGE_DAYS}, []
    return None, [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
