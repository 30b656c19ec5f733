"""Project-wide pytest fixtures: users with roles, built through the real services."""

from __future__ import annotations

import datetime as dt
import os

import pytest
import time_machine

from perisai.accounts import services
from perisai.accounts.choices import AgencyKind, Role

PASSWORD = "correct-horse-battery-staple-42"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"


def totp_code(secret: str = TOTP_SECRET, *, step: int = 0) -> str:
    """The code an authenticator app would show now (step=-1: the previous one, still accepted once)."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD + step))


@pytest.fixture(autouse=True, scope="session")
def clock_from_environment():
    """`PERISAI_TEST_NOW=2026-12-31T23:30+07:00 make test-only` runs the suite as if it were that moment (the
    clock then ticks on from there). The suite must pass on any day: this is how a month, a year end or a
    midnight in Jakarta is tried without waiting for it. Unset, the real clock runs."""
    moment = os.environ.get("PERISAI_TEST_NOW")
    if not moment:
        yield None
        return
    with time_machine.travel(dt.datetime.fromisoformat(moment), tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is slow on purpose; tests create hundreds of accounts. test_services checks Argon2 itself."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture(autouse=True)
def private_media_root(settings, tmp_path):
    """Every test stores attachments in its own folder: files left by one test (or one run) must never be
    read by another, e.g. by key rotation, which walks the whole media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def health_checks_look_again():
    """/healthz remembers a good write and applied migrations for a while (perisai/core/health.py): not across tests."""
    from perisai.core import health

    health.forget()


@pytest.fixture
def home_office(db):
    return services.agency_save(actor=None, name="DP3AP2KB Uji", kind=AgencyKind.HOME_OFFICE)


@pytest.fixture
def police_agency(db):
    return services.agency_save(actor=None, name="Unit PPA Polres Uji", kind=AgencyKind.POLICE)


@pytest.fixture
def make_user(db, home_office, police_agency):
    """make_user(Role.CASE_MANAGER) -> an active user of the right agency with that role."""
    counter = iter(range(1, 10_000))

    def make(*roles: str, agency=None, email: str | None = None, password: str = PASSWORD, second_factor=True):
        if agency is None:
            agency = police_agency if Role.PARTNER_STAFF in roles else home_office
        number = next(counter)
        user = services.user_create(
            actor=None,
            email=email or f"user{number}@perisai.test",
            full_name=f"Pengguna Uji {number}",
            agency=agency,
            roles=roles,
            password=password,
        )
        if second_factor:
            services.user_enrol_second_factor(actor=None, user=user, totp_secret=TOTP_SECRET)
        return user

    return make


def reauthenticate(client, password: str = PASSWORD) -> None:
    """Confirm the password again, as allauth asks before sensitive actions."""
    from django.urls import reverse

    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302, response.content[:500]
