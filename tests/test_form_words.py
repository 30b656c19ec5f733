"""Every choice list speaks Indonesian: Django's own empty choice ("- Select an option -" since Django 6) has no
Indonesian translation in Django, so Perisai's catalogue locale/id gives it one, and no select list of ours shows
the English words."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

from django import forms
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = "- Select an option -"


def project_forms() -> list[type[forms.BaseForm]]:
    found = []
    for path in sorted((ROOT / "perisai").glob("*/forms.py")):
        module = importlib.import_module(f"perisai.{path.parent.name}.forms")
        found += [
            value
            for value in vars(module).values()
            if inspect.isclass(value) and issubclass(value, forms.BaseForm) and value.__module__ == module.__name__
        ]
    return found


def test_no_model_choice_shows_django_s_english_empty_choice():
    with translation.override("id"):
        offenders = [
            f"{form.__module__}.{form.__name__}.{name}"
            for form in project_forms()
            for name, field in form.base_fields.items()
            if isinstance(field, forms.ModelChoiceField)
            and not isinstance(field, forms.ModelMultipleChoiceField)
            and field.empty_label is not None
            and ENGLISH in str(field.empty_label)
        ]
    assert project_forms() and offenders == []


def test_django_s_empty_choice_has_indonesian_words():
    from django.db.models.fields import BLANK_CHOICE_LABEL

    with translation.override("id"):
        assert str(BLANK_CHOICE_LABEL) == "— pilih —"
    with translation.override("en"):
        assert str(BLANK_CHOICE_LABEL) == ENGLISH
