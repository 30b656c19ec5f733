"""Model fields that keep personal data encrypted in the database, and their blind indexes.

Values are encrypted on the way into the database and decrypted on the way out, so code works with
plain strings while the database file, dumps, backups and history tables only ever hold ciphertext.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from perisai.core import crypto

# Marks our ciphertext so a value can never be mistaken for plain text (and vice versa) when reading.
PREFIX = "enc1:"


class EncryptedTextField(models.TextField):
    """Encrypted text. Empty stays empty and NULL stays NULL. Only `isnull` lookups work, because
    encryption is randomised: search through a BlindIndexField instead."""

    description = "Encrypted text"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return PREFIX + crypto.encrypt(str(value).encode()).decode()

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        if not value.startswith(PREFIX):
            raise ValueError(f"{self.model.__name__}.{self.name} holds a value that is not encrypted")
        return crypto.decrypt(value[len(PREFIX) :].encode()).decode()

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise ImproperlyConfigured(
                f"Lookup '{lookup_name}' on an encrypted field cannot work; use a blind index (exact match)."
            )
        return super().get_lookup(lookup_name)


class EncryptedCharField(EncryptedTextField):
    """Encrypted short text: forms get a one-line input and a length check on the plain value."""

    def __init__(self, *args, max_length: int = 255, **kwargs):
        self.plain_max_length = max_length
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["max_length"] = self.plain_max_length
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return models.Field.formfield(self, form_class=forms.CharField, max_length=self.plain_max_length, **kwargs)


def normalize_text(value: str) -> str:
    """Case, accents, punctuation and spacing do not make a different person or number."""
    value = unicodedata.normalize("NFKD", value)
    value = "".join(char for char in value if not unicodedata.combining(char))
    value = re.sub(r"[^\w\s]", " ", value.casefold())
    return " ".join(value.split())


def normalize_digits(value: str) -> str:
    return re.sub(r"\D", "", value)


# Indonesian names: "Muhammad", "Mohammad", "Moh.", "Muh.", "Mhd." and a lone "M." are the same name part.
NAME_VARIANTS = {
    variant: "m"
    for variant in (
        "muhammad",
        "mohammad",
        "mohamad",
        "muhamad",
        "muhammed",
        "mochammad",
        "mochamad",
        "moch",
        "moh",
        "muh",
        "mhd",
        "md",
        "m",
    )
}


def normalize_person_name(value: str) -> str:
    return " ".join(NAME_VARIANTS.get(part, part) for part in normalize_text(value).split())


class BlindIndexField(models.CharField):
    """HMAC of another field's normalised value, kept up to date on every save.

    Search with `Model.objects.filter(nik_index=Model.index_for("nik_index", "3672..."))`.
    """

    def __init__(self, *args, source: str = "", purpose: str = "", normalizer: str = "text", **kwargs):
        self.source = source
        self.purpose = purpose
        self.normalizer = normalizer
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(source=self.source, purpose=self.purpose, normalizer=self.normalizer)
        for key, default in (
            ("max_length", 64),
            ("editable", False),
            ("blank", True),
            ("default", ""),
            ("db_index", True),
        ):
            if kwargs.get(key) == default:
                kwargs.pop(key)
        return name, path, args, kwargs

    def _normalize(self) -> Callable[[str], str]:
        return {"text": normalize_text, "digits": normalize_digits, "person": normalize_person_name}[self.normalizer]

    def index_for(self, value: str | None) -> str:
        normalized = self._normalize()(value or "")
        return crypto.blind_index(normalized, purpose=self.purpose or self.source) if normalized else ""

    def pre_save(self, model_instance, add):
        value = self.index_for(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value
