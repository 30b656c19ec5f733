from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from perisai.accounts.models import Agency
from perisai.accounts.selectors import active_agencies
from perisai.cases.policies import case_policy


class MeetingForm(forms.Form):
    held_on = forms.DateField(
        label=_("Tanggal rapat"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    title = forms.CharField(label=_("Judul"), max_length=200)
    agencies = forms.ModelMultipleChoiceField(
        label=_("Instansi yang hadir"),
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Petugas instansi yang hadir dapat membaca rapat ini, notulen dan semua tindak lanjutnya."),
        error_messages={"required": _("Pilih paling sedikit satu instansi yang hadir.")},
    )
    case_numbers = forms.CharField(
        label=_("Kasus yang dibahas"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Nomor registrasi saja, satu per baris. Jangan tulis nama anak."),
    )
    notes = forms.CharField(
        label=_("Notulen"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sebut kasus dengan nomor registrasi, bukan nama anak."),
    )

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["agencies"].queryset = active_agencies()

    def clean_case_numbers(self):
        numbers = [n.strip() for n in re.split(r"[\n,;]+", self.cleaned_data["case_numbers"]) if n.strip()]
        visible = case_policy.visible_to(self.actor).filter(registration_number__in=numbers)
        cases = {case.registration_number: case for case in visible}
        unknown = [n for n in numbers if n not in cases]
        if unknown:
            raise forms.ValidationError(
                _("Nomor registrasi tidak ditemukan: %(numbers)s") % {"numbers": ", ".join(unknown)}
            )
        return list(cases.values())


class ActionItemForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Instansi"), queryset=Agency.objects.none(), empty_label=_("— pilih —"))
    description = forms.CharField(
        label=_("Tindak lanjut"), max_length=300, help_text=_("Sebut kasus dengan nomor registrasi saja.")
    )
    due_on = forms.DateField(label=_("Batas waktu"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = meeting.agencies.order_by("name") if meeting else active_agencies()


class ItemDoneForm(forms.Form):
    note = forms.CharField(label=_("Keterangan"), max_length=300, required=False)
