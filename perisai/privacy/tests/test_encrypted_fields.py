"""Core's encrypted fields, blind indexes and key rotation, exercised on a data-protection subject request: the
lowest app with encrypted fields (tests stand in the layer of what they use)."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from perisai.accounts.choices import Role
from perisai.core import crypto
from perisai.core.fields import PREFIX
from perisai.privacy.models import SubjectRequest
from perisai.privacy.tests.factories import subject_request

pytestmark = pytest.mark.django_db


def raw(column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM privacy_subjectrequest WHERE id = %s", [pk])  # nosec B608: a column name fixed in the test
        return cursor.fetchone()[0]


class EncryptedFieldTests:
    def test_values_are_stored_encrypted_and_read_back_in_clear(self, make_user):
        item = subject_request(make_user(Role.SUPERVISOR))
        assert raw("subject_name", item.pk).startswith(PREFIX)
        assert "Siti" not in raw("subject_name", item.pk)
        assert SubjectRequest.objects.get(pk=item.pk).subject_name == "Siti Demo Rahayu"

    def test_the_same_value_encrypts_differently_each_time(self, make_user):
        supervisor = make_user(Role.SUPERVISOR)
        first, second = subject_request(supervisor), subject_request(supervisor)
        assert raw("subject_name", first.pk) != raw("subject_name", second.pk)

    def test_empty_stays_empty(self, make_user):
        item = subject_request(make_user(Role.SUPERVISOR), subject_address="", subject_nik="")
        assert raw("subject_address", item.pk) == ""
        assert SubjectRequest.objects.get(pk=item.pk).subject_address == ""

    def test_searching_inside_an_encrypted_field_is_refused(self):
        with pytest.raises(ImproperlyConfigured):
            list(SubjectRequest.objects.filter(subject_name__icontains="siti"))


class BlindIndexTests:
    def test_exact_search_by_name_ignores_case_spacing_and_punctuation(self, make_user):
        item = subject_request(make_user(Role.SUPERVISOR))
        field = SubjectRequest._meta.get_field("subject_name_index")
        assert SubjectRequest.objects.get(subject_name_index=field.index_for("  siti demo, RAHAYU ")) == item
        assert not SubjectRequest.objects.filter(subject_name_index=field.index_for("Siti Demo")).exists()

    def test_nik_index_ignores_separators_and_differs_per_purpose(self, make_user):
        item = subject_request(make_user(Role.SUPERVISOR))
        field = SubjectRequest._meta.get_field("subject_nik_index")
        assert SubjectRequest.objects.get(subject_nik_index=field.index_for("3672 0145 0512 0001")) == item
        assert crypto.blind_index("3672014505120001", purpose="other") != item.subject_nik_index

    def test_the_index_depends_on_the_key(self, make_user, settings):
        item = subject_request(make_user(Role.SUPERVISOR))
        settings.BLIND_INDEX_KEY = "A" * 43 + "="
        field = SubjectRequest._meta.get_field("subject_name_index")
        assert field.index_for("Siti Demo Rahayu") != item.subject_name_index


class KeyRotationTests:
    def test_rotation_moves_everything_to_the_new_key_and_old_keys_can_go(self, make_user, settings, capsys):
        item = subject_request(make_user(Role.SUPERVISOR))
        old_keys = list(settings.FIELD_ENCRYPTION_KEYS)
        new_key = Fernet.generate_key().decode()
        settings.FIELD_ENCRYPTION_KEYS = [new_key, *old_keys]
        assert crypto.needs_rotation(raw("subject_name", item.pk)[len(PREFIX) :].encode())

        call_command("rotate_field_keys")
        call_command("rotate_field_keys")  # a second run finds nothing left to do
        assert "privacy.SubjectRequest: 0 dirotasi" in capsys.readouterr().out

        settings.FIELD_ENCRYPTION_KEYS = [new_key]
        reread = SubjectRequest.objects.get(pk=item.pk)
        assert (reread.subject_name, reread.subject_nik) == ("Siti Demo Rahayu", "3672014505120001")
        user = make_user(Role.CASE_MANAGER)  # second-factor secrets were rotated too
        from allauth.mfa.adapter import get_adapter
        from allauth.mfa.models import Authenticator

        for authenticator in Authenticator.objects.exclude(user=user).filter(type="totp"):
            assert get_adapter().decrypt(authenticator.data["secret"])
