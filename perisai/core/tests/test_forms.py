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

    @pytest.mark.parametrize("typed", ["0812abc", "0812 3456 7890x", "0812 3456"])
    def test_a_refused_number_is_shown_back_exactly_as_typed(self, typed):
        class Form(forms.Form):
            phone = PhoneField(required=False)

        form = Form({"phone": typed})
        assert not form.is_valid()
        assert f'value="{typed}"' in str(form["phone"])

    @pytest.mark.parametrize("typed", ["110", "112", "129"])
    def test_service_numbers_only_where_asked_for(self, typed):
        assert PhoneField(required=False, short_numbers=True).clean(typed) == typed
        with pytest.raises(forms.ValidationError):
            PhoneField(required=False).clean(typed)

    def test_a_stored_value_from_before_the_check_is_kept_when_untouched(self):
        field = PhoneField(required=False)
        field.keep_stored("0254 391234 ext. 12")
        assert field.clean("0254 391234 ext. 12") == "0254 391234 ext. 12"
        with pytest.raises(forms.ValidationError):
            field.clean("0254 391234 ext. 13")
