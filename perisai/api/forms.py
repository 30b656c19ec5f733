from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from perisai.api.models import TokenScope
from perisai.api.policies import MAX_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Nama token"), max_length=80, help_text=_("Misalnya: laptop analis, skrip rekap."))
    scope = forms.ChoiceField(label=_("Izin"), choices=TokenScope.choices, initial=TokenScope.READ)
    days = forms.IntegerField(
        label=_("Berlaku (hari)"), min_value=1, max_value=MAX_DAYS, initial=90, help_text=_("Paling lama 365 hari.")
    )
