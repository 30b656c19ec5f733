"""The import screens' forms: the file, and which column is which."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from perisai.core.attachments import max_bytes
from perisai.imports.columns import FIELDS
from perisai.imports.models import ImportTemplate


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas register"),
        help_text=_("xlsx, xls, ods, atau csv; satu baris per korban; paling besar 10 MB. Belum ada yang disimpan."),
    )
    template = forms.ModelChoiceField(
        label=_("Templat kolom"),
        queryset=ImportTemplate.objects.all(),
        required=False,
        empty_label=_("— kenali kolom dari judulnya —"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        refusal = getattr(upload, "refusal", "")  # dropped while it arrived (core.uploads)
        if refusal or upload.size > max_bytes():
            raise forms.ValidationError(
                refusal or _("Berkas terlalu besar (maksimal %(mb)s MB).") % {"mb": settings.PERISAI_ATTACHMENT_MAX_MB}
            )
        return upload


class MappingForm(forms.Form):
    """One choice per field: the column that holds it, or none."""

    token = forms.CharField(widget=forms.HiddenInput)
    template_name = forms.CharField(
        label=_("Simpan pemetaan kolom ini sebagai templat"), max_length=100, required=False
    )

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        columns = [("", _("— tidak ada —"))] + [
            (str(index), text or f"Kolom {index + 1}") for index, text in enumerate(headers)
        ]
        for field in FIELDS:
            self.fields[f"col_{field.key}"] = forms.ChoiceField(
                label=field.label + (" *" if field.required else ""), choices=columns, required=False
            )

    def mapping(self) -> dict[str, int]:
        return {
            field.key: int(self.cleaned_data[f"col_{field.key}"])
            for field in FIELDS
            if self.cleaned_data.get(f"col_{field.key}") not in (None, "")
        }
