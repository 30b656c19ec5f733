from django import forms
from django.utils.translation import gettext_lazy as _


class FirstContactForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan kontak pertama"),
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Siapa yang dihubungi, lewat apa, dan hasilnya. Jangan menulis hal yang tidak perlu."),
    )


class StaffMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Pesan untuk pelapor"),
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Pelapor membacanya dengan kode dan PIN. Jangan sebut nama anak atau terduga pelaku."),
    )
