import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField
from phonenumber_field.phonenumber import PhoneNumber
from phonenumber_field.widgets import RegionalPhoneNumberWidget

from perisai.core.attachments import AttachmentRejected
from perisai.core.services import attachment_store

# Digits and the separators people type ("0812-3456 7890", "(0254) 391234", "+62 812..."), nothing else: the
# parser would otherwise read letters as keypad digits and "x" as an extension.
PHONE_CHARACTERS = re.compile(r"\+?[\d\s().-]{6,20}")
# Indonesia's three- and four-digit service numbers (110 police, 112 emergency, 129 SAPA, 1500771 is a full
# number): libphonenumber knows only some of them (not 129), so an agency's short number is accepted by shape.
SHORT_NUMBER = re.compile(r"1\d{2,3}")


class TypedPhoneWidget(RegionalPhoneNumberWidget):
    """Shows a number that did not pass exactly as it was typed. The parent widget parses the text again to
    format it and reads letters as keypad digits ("0812abc" came back as "0812222"), changing what the person
    wrote right where they must correct it."""

    def format_value(self, value):
        if isinstance(value, str) and value.strip() and not _is_valid_number(value, self.region):
            return value
        return super().format_value(value)


def _is_valid_number(text: str, region: str) -> bool:
    if PHONE_CHARACTERS.fullmatch(text.strip()) is None:
        return False
    number = PhoneNumber.from_string(text.strip(), region=region) if text.strip() else None
    return number is not None and number.is_valid()


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

    def store(self, *, actor, owner, personal: bool = True) -> bool:
        """Store the valid form's file for `owner` through the service; a file refused by its checks (type,
        size, what cleaning found) gets the reason next to the field. True when stored."""
        try:
            attachment_store(actor=actor, owner=owner, uploaded_file=self.cleaned_data["file"], personal=personal)
        except AttachmentRejected as rejected:
            self.add_error("file", str(rejected))
            return False
        return True


class PhoneField(PhoneNumberField):
    """A phone or WhatsApp number, Indonesian unless it starts with a country code, checked by
    django-phonenumber-field (libphonenumber) and cleaned to E.164 ("+6281234567890"), so a blind index finds
    the number however it was typed. An invalid number gets one plain Indonesian message."""

    default_validators = []  # to_python checks validity, with our message
    default_error_messages = {"invalid": _("Nomor telepon tidak dikenali. Contoh: 0812-3456-7890.")}

    def __init__(self, *args, short_numbers: bool = False, **kwargs):
        kwargs.setdefault("region", "ID")
        kwargs.setdefault("widget", TypedPhoneWidget(region="ID", attrs={"autocomplete": "tel"}))
        super().__init__(*args, **kwargs)
        # An agency may be reached on a service number (SAPA 129, police 110); a person never is.
        self.short_numbers = short_numbers
        # A value stored before numbers were checked is kept when the form is saved unchanged: editing an
        # agency's e-mail must not be refused over a phone number nobody touched (see keep_stored()).
        self.stored_as_is = ""

    def keep_stored(self, value: str) -> None:
        self.stored_as_is = (value or "").strip()

    def to_python(self, value):
        text = str(value or "").strip()
        if not text:
            return self.empty_value
        if text == self.stored_as_is or (self.short_numbers and SHORT_NUMBER.fullmatch(text)):
            return text
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
        if isinstance(number, str):
            return number  # a short service number or the untouched stored value, as it was
        return number.as_e164 if number else ""


def add_service_errors(form, error) -> None:
    """A service's ValidationError shown on the form: each message next to its field (or above the form when the
    field is not on it), so what was typed stays and the reason is where the user looks."""
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)
