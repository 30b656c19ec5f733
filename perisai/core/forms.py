import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField
from phonenumber_field.phonenumber import PhoneNumber
from phonenumber_field.widgets import RegionalPhoneNumberWidget

# Digits and the separators people type ("0812-3456 7890", "(0254) 391234", "+62 812..."), nothing else: the
# parser would otherwise read letters as keypad digits and "x" as an extension.
PHONE_CHARACTERS = re.compile(r"\+?[\d\s().-]{6,20}")


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


class PhoneField(PhoneNumberField):
    """A phone or WhatsApp number, Indonesian unless it starts with a country code, checked by
    django-phonenumber-field (libphonenumber) and cleaned to E.164 ("+6281234567890"), so a blind index finds
    the number however it was typed. An invalid number gets one plain Indonesian message."""

    default_validators = []  # to_python checks validity, with our message
    default_error_messages = {"invalid": _("Nomor telepon tidak dikenali. Contoh: 0812-3456-7890.")}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("region", "ID")
        kwargs.setdefault("widget", RegionalPhoneNumberWidget(region="ID", attrs={"autocomplete": "tel"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        text = str(value or "").strip()
        if not text:
            return self.empty_value
        if text.startswith("62"):
            text = "+" + text  # "62812..." is +62 written without the plus
        if PHONE_CHARACTERS.fullmatch(text) is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        number = super().to_python(text)
        if not isinstance(number, PhoneNumber) or not number.is_valid():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number

    def clean(self, value) -> str:
        number = super().clean(value)
        return number.as_e164 if number else ""
