"""The signed-in person's own settings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from perisai.core.choices import NotificationKind


class EmailPreferencesForm(forms.Form):
    by_email = forms.MultipleChoiceField(
        label=_("Kirim juga lewat e-mail"),
        choices=NotificationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Semua pemberitahuan tetap muncul di Perisai. E-mail hanya berisi nomor registrasi dan tautan, "
            "tidak pernah nama atau data anak."
        ),
    )
