from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas"),
        help_text=_("Foto (JPG/PNG), rekaman suara, atau PDF. Data lokasi pada foto dihapus otomatis."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "file"
        ].help_text = f"{self.fields['file'].help_text} Maks. {settings.PERISAI_ATTACHMENT_MAX_MB} MB."
