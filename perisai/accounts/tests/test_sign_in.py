import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, TOTP_SECRET, totp_code
from perisai.accounts import services
from perisai.accounts.choices import Role
from perisai.accounts.models import User
from perisai.audit.choices import AuditAction, AuditOutcome
from perisai.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def sign_in_with_password(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


class SignInTests:
    def test_staff_sign_in_needs_email_password_and_a_second_factor(self, client, make_user):
        user = make_user(Role.CASE_MANAGER, email="yuli@perisai.test")
        response = sign_in_with_password(client, "YULI@perisai.test")
        assert response["Location"] == reverse("mfa_authenticate")
        # Before the code, nothing behind the login opens.
        assert client.get(reverse("portal:staff_home")).status_code == 302

        response = client.post(reverse("mfa_authenticate"), {"code": totp_code(TOTP_SECRET)})
        assert response.status_code == 302
        assert client.get(reverse("portal:staff_home")).context["user"] == user
        assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=user).exists()

    def test_a_wrong_second_factor_code_keeps_the_door_shut_and_is_audited(self, client, make_user):
        make_user(Role.CASE_MANAGER, email="yuli@perisai.test")
        sign_in_with_password(client, "yuli@perisai.test")
        response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
        assert response.status_code == 200
        assert client.get(reverse("portal:staff_home")).status_code == 302
        assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, extra__step="second_factor").exists()

    def test_an_account_without_a_second_factor_must_enrol_before_anything_else(self, client, make_user):
        make_user(Role.CASE_MANAGER, email="baru@perisai.test", second_factor=False)
        response = sign_in_with_password(client, "baru@perisai.test")
        assert response.status_code == 302
        response = client.get(reverse("portal:staff_home"))
        assert response["Location"] == reverse("mfa_activate_totp")
        assert client.get(reverse("admin:index"))["Location"] == reverse("mfa_activate_totp")
        # allauth asks for the password once more before a second factor is added.
        response = client.get(reverse("mfa_activate_totp"))
        assert response["Location"].startswith(reverse("account_reauthenticate"))
        response = client.post(response["Location"], {"password": PASSWORD})
        assert response["Location"] == reverse("mfa_activate_totp")
        assert "Kode" in client.get(reverse("mfa_activate_totp")).content.decode()
        # Public pages stay open.
        assert client.get(reverse("core:landing")).status_code == 200

    def test_failed_password_is_audited_without_the_typed_name(self, client, make_user):
        make_user(Role.CASE_MANAGER, email="yuli@perisai.test")
        sign_in_with_password(client, "yuli@perisai.test", "wrong-password-123")
        event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
        assert event.outcome == AuditOutcome.FAILURE
        assert "yuli" not in str(event.extra)

    def test_public_sign_up_is_closed(self, client):
        client.post(
            reverse("account_signup"),
            {"email": "x@example.com", "password1": "whatever-long-pass", "password2": "whatever-long-pass"},
        )
        assert not User.objects.filter(email="x@example.com").exists()


class LockoutTests:
    def test_repeated_failures_lock_that_email_from_that_address(self, client, make_user, settings):
        make_user(Role.CASE_MANAGER, email="yuli@perisai.test")
        for _ in range(settings.AXES_FAILURE_LIMIT):
            sign_in_with_password(client, "yuli@perisai.test", "wrong-password-123")
        # Even the right password is refused now, whatever the case of the address.
        response = sign_in_with_password(client, "Yuli@Perisai.test")
        assert response.status_code == 429
        assert "dikunci" in response.content.decode()
        assert AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT).exists()

    def test_a_colleague_behind_the_same_carrier_address_is_not_locked_out(self, client, make_user, settings):
        make_user(Role.CASE_MANAGER, email="yuli@perisai.test")
        make_user(Role.CASE_MANAGER, email="rina@perisai.test")
        for _ in range(settings.AXES_FAILURE_LIMIT):
            sign_in_with_password(client, "yuli@perisai.test", "wrong-password-123")
        response = sign_in_with_password(Client(), "rina@perisai.test")
        assert response["Location"] == reverse("mfa_authenticate")


class SessionTests:
    def test_disabling_an_account_ends_its_sessions_at_once(self, client, make_user):
        user = make_user(Role.CASE_MANAGER, email="yuli@perisai.test")
        sign_in_with_password(client, "yuli@perisai.test")
        client.post(reverse("mfa_authenticate"), {"code": totp_code()})
        assert client.get(reverse("portal:staff_home")).status_code == 200

        services.user_update(actor=make_user(Role.ADMINISTRATOR), user=user, is_active=False)
        assert client.get(reverse("portal:staff_home")).status_code == 302
        assert AuditEvent.objects.filter(action=AuditAction.USER_DEACTIVATED, extra__sessions_ended=1).exists()

    def test_a_user_ends_all_their_own_sessions(self, make_user):
        user = make_user(Role.CASE_MANAGER, email="yuli@perisai.test")
        phones = [Client(), Client()]
        for step, phone in enumerate(phones, start=-1):
            sign_in_with_password(phone, "yuli@perisai.test")
            phone.post(reverse("mfa_authenticate"), {"code": totp_code(step=step)})  # each code works once
            assert phone.get(reverse("portal:staff_home")).status_code == 200
        phones[0].post(reverse("accounts:end_sessions"))
        assert phones[1].get(reverse("portal:staff_home")).status_code == 302
        assert phones[0].get(reverse("portal:staff_home")).status_code == 302
        assert not Session.objects.filter(session_key__in=[p.session.session_key for p in phones]).exists()
        assert AuditEvent.objects.filter(action=AuditAction.SESSIONS_ENDED, actor=user).exists()

    def test_idle_sessions_expire_after_the_configured_minutes(self, settings):
        assert settings.SESSION_COOKIE_AGE == 30 * 60
        assert settings.SESSION_SAVE_EVERY_REQUEST
