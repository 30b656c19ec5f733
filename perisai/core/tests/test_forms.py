"""PhoneField: django-phonenumber-field behind one Indonesian message, cleaned to E.164."""

import pytest
from django import forms

from perisai.core.forms import PhoneField


class PhoneFieldTests:
    @pytest.mark.parametrize(
        ("typed", "stored"),
        [
            ("0812-3456-7890", "+6281234567890"),
            ("0812 3456 7890", "+6281234567890"),
            ("6281234567890", "+6281234567890"),
            ("+62 812 3456 7890", "+6281234567890"),
            ("(0254) 391234", "+62254391234"),
            ("+65 6123 4567", "+6561234567"),
            ("", ""),
        ],
    )
    def test_numbers_are_kept_in_one_form_however_they_are_typed(self, typed, stored):
        assert PhoneField(required=False).clean(typed) == stored

    @pytest.mark.parametrize("typed", ["0812-3456-789x", "0812", "12345678901234567890123", "halo", "+62 000 000"])
    def test_what_is_not_a_number_gets_one_plain_indonesian_message(self, typed):
        with pytest.raises(forms.ValidationError, match="Nomor telepon tidak dikenali"):
            PhoneField(required=False).clean(typed)
