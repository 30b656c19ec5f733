from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from perisai.accounts.models import Agency
from perisai.accounts.selectors import active_agencies
from perisai.core.simfoni import Sex
from perisai.outreach.choices import ChildSituation
from perisai.regions import selectors as regions


class OperationForm(forms.Form):
    held_on = forms.DateField(
        label=_("Tanggal operasi"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    kecamatan = forms.ChoiceField(label=_("Kecamatan"))
    location = forms.CharField(label=_("Lokasi"), max_length=200, help_text=_("Misalnya: simpang lampu merah, pasar."))
    agencies = forms.ModelMultipleChoiceField(
        label=_("Instansi yang ikut"),
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih paling sedikit satu instansi yang ikut.")},
    )
    team = forms.CharField(label=_("Tim"), max_length=300, required=False)
    notes = forms.CharField(
        label=_("Catatan"), max_length=5_000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = active_agencies()
        self.fields["kecamatan"].choices = [("", "—")] + [(k.code, k.name) for k in regions.kecamatan_of_city()]

    def clean_kecamatan(self):
        region = regions.kecamatan_of_city().filter(code=self.cleaned_data["kecamatan"]).first()
        if region is None:
            raise forms.ValidationError(_("Pilih kecamatan dari daftar."))
        return region


class ChildForm(forms.Form):
    name = forms.CharField(label=_("Nama atau inisial"), max_length=150, required=False)
    estimated_age = forms.IntegerField(label=_("Perkiraan usia"), min_value=0, max_value=17, required=False)
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=[("", "—"), *Sex.choices], required=False)
    situation = forms.ChoiceField(label=_("Keadaan anak"), choices=ChildSituation.choices)
    note = forms.CharField(
        label=_("Catatan"), max_length=2_000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
