from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from perisai.reports.forms import MultipleFileField


class CheckForm(forms.Form):
    code = forms.CharField(
        label=_("Kode laporan"),
        max_length=20,
        help_text=_("Contoh: LPR-7K3M-9QXD"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    pin = forms.CharField(
        label=_("PIN"), max_length=12, widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
    )


class ReporterMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Tambah keterangan atau jawab pertanyaan petugas"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachments = MultipleFileField(label=_("Tambah lampiran"), required=False)

    def clean(self):
        cleaned = super().clean()
        if len(cleaned.get("attachments") or []) > settings.PERISAI_ATTACHMENT_MAX_FILES:
            self.add_error(
                "attachments", _("Paling banyak %(n)s berkas.") % {"n": settings.PERISAI_ATTACHMENT_MAX_FILES}
            )
        if not cleaned.get("body", "").strip() and not cleaned.get("attachments"):
            self.add_error("body", _("Tulis pesan atau pilih berkas."))
        return cleaned
