"""The period chooser of the dashboard: month, quarter, year or a custom range (default: the latest year with a
case, this year once it has one)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perisai.regions import selectors as regions
from perisai.stats.periods import BASIS_CHOICES, BASIS_REPORT, MONTHS, Period

KIND_CHOICES = [
    ("tahun", _("Tahun")),
    ("triwulan", _("Triwulan")),
    ("bulan", _("Bulan")),
    ("rentang", _("Rentang tanggal")),
]
MAX_DAYS = 3 * 366


class PeriodForm(forms.Form):
    jenis = forms.ChoiceField(label=_("Periode"), choices=KIND_CHOICES, initial="tahun")
    tahun = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    triwulan = forms.TypedChoiceField(
        label=_("Triwulan"), choices=[(q, f"T{q}") for q in range(1, 5)], coerce=int, required=False
    )
    bulan = forms.TypedChoiceField(
        label=_("Bulan"), choices=[(i + 1, name) for i, name in enumerate(MONTHS)], coerce=int, required=False
    )
    dari = forms.DateField(label=_("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sampai = forms.DateField(label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    dasar = forms.ChoiceField(label=_("Tanggal yang menentukan periode"), choices=BASIS_CHOICES, initial=BASIS_REPORT)

    def __init__(self, data=None, *, default_year: int | None = None, **kwargs):
        today = timezone.localdate()
        defaults = {"jenis": "tahun", "tahun": default_year or today.year, "dasar": BASIS_REPORT}
        merged = {**defaults, **{k: v for k, v in (data or {}).items() if v not in ("", None)}}
        super().__init__(merged, **kwargs)
        self.fields["kecamatan"].choices = [("", _("Seluruh kota"))] + [
            (k.code, k.name) for k in regions.kecamatan_of_city()
        ]

    def clean(self):
        data = super().clean()
        kind = data.get("jenis")
        if kind == "triwulan" and not data.get("triwulan"):
            self.add_error("triwulan", _("Pilih triwulan."))
        if kind == "bulan" and not data.get("bulan"):
            self.add_error("bulan", _("Pilih bulan."))
        if kind == "rentang":
            start, end = data.get("dari"), data.get("sampai")
            if not start:
                self.add_error("dari", _("Isi tanggal awal."))
            if not end:
                self.add_error("sampai", _("Isi tanggal akhir."))
            if start and end and start > end:
                self.add_error("sampai", _("Tanggal akhir harus sesudah tanggal awal."))
            if start and end and (end - start).days > MAX_DAYS:
                self.add_error("sampai", _("Rentang paling lama tiga tahun."))
        return data

    def period(self) -> Period:
        """The chosen period; this year when the form is not valid (its errors are shown beside it)."""
        if not self.is_valid():
            return Period.year(timezone.localdate().year)
        data = self.cleaned_data
        basis, year = data["dasar"], data["tahun"]
        if data["jenis"] == "triwulan":
            return Period.quarter(year, data["triwulan"], basis)
        if data["jenis"] == "bulan":
            return Period.month(year, data["bulan"], basis)
        if data["jenis"] == "rentang":
            return Period(data["dari"], data["sampai"], basis)
        return Period.year(year, basis)

    def kecamatan_code(self) -> str | None:
        return (self.cleaned_data.get("kecamatan") or None) if self.is_valid() else None
