"""Project-wide pytest fixtures: users with roles, built through the real services."""

from __future__ import annotations

import datetime as dt
import io
import os

import pytest
import time_machine
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.test import override_settings

from perisai.accounts import services
from perisai.accounts.choices import AgencyKind, Role
from perisai.accounts.models import User

PASSWORD = "correct-horse-battery-staple-42"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"
FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


def totp_code(secret: str = TOTP_SECRET, *, step: int = 0) -> str:
    """The code an authenticator app would show now (step=-1: the previous one, still accepted once)."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD + step))


# Class-scoped fixtures that seed data for a whole test class inside one transaction (`_demo_seeded` below).
SHARED_SEEDS = frozenset({"_demo_seeded"})
DATABASE_FIXTURES = frozenset({"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"})


def pytest_collection_modifyitems(config, items):
    """A class whose tests share seeded data must hold only such tests: a test that expects an empty database
    would see the seed of whichever test ran before it, and only when the run happens to order them so. Refused at
    collection, every run, rather than found as a flaky failure.

    Under xdist a class's tests mostly stay on one worker: `--dist load` hands out consecutive batches. Not
    `--dist loadgroup`: with pytest 9 it no longer groups (xdist 3.8 rewrites `item._nodeid`, which pytest 9 no
    longer reads), and it schedules by node id, which ran one of the twelve schemathesis tests sharing an id."""
    classes: dict[str, list[pytest.Item]] = {}
    for item in items:
        if getattr(item, "cls", None) is not None:
            classes.setdefault(item.parent.nodeid, []).append(item)
    for nodeid, members in classes.items():
        sharing = [item for item in members if SHARED_SEEDS & set(item.fixturenames)]
        if not sharing:
            continue
        strays = [
            item.name
            for item in members
            if item not in sharing
            and (DATABASE_FIXTURES & set(item.fixturenames) or item.get_closest_marker("django_db"))
        ]
        transactional = [item.name for item in sharing if _transactional(item)]
        if strays or transactional:
            raise pytest.UsageError(
                f"{nodeid} shares seeded data ({', '.join(sorted(SHARED_SEEDS))}) across its tests, so every test "
                f"in it that uses the database must use it too, and none may be transactional; move these to another "
                f"class: {', '.join(strays + transactional)}"
            )


def _transactional(item: pytest.Item) -> bool:
    """The test commits (pytest-django flushes the database after it), which would empty a shared seed."""
    marker = item.get_closest_marker("django_db")
    committing = marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    return bool(committing) or bool({"transactional_db", "live_server"} & set(item.fixturenames))


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
    settings.PASSWORD_HASHERS = [FAST_HASHER, *settings.PASSWORD_HASHERS]


@pytest.fixture(autouse=True)
def private_media_root(settings, tmp_path):
    """Every test stores attachments in its own folder: files left by one test (or one run) must never be
    read by another, e.g. by key rotation, which walks the whole media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def health_checks_look_again():
    """/healthz remembers a good write and applied migrations for a while (perisai/core/health.py), and the
    holidays are cached per process (perisai/core/holidays.py): not across tests."""
    from perisai.core import health, holidays

    health.forget()
    holidays.forget_all()  # the office's holidays, cached per process, are another test's rows
    caches["fragments"].clear()  # the report form's fields, rendered under another test's settings or regions


def use_production_fragment_cache(settings) -> None:
    """The "fragments" cache as production has it: config/settings.py turns it off under DEBUG, which the suite's
    settings load with."""
    settings.CACHES = {
        **settings.CACHES,
        "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-fragments"},
    }


@pytest.fixture
def fragment_cache(settings):
    """For a test of what is cached: production's fragment cache, emptied after the test."""
    use_production_fragment_cache(settings)
    yield caches["fragments"]
    caches["fragments"].clear()


@receiver(setting_changed)
def _fragments_follow_settings(**kwargs):
    # A test that changes a setting shown on the form (the attachment limits, say) sees it on its next page.
    caches["fragments"].clear()


@pytest.fixture(scope="class")
def _demo_seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, seeded once for a whole test class and rolled back after its last test.

    Seeding takes 9 s on a quiet machine and twice that beside two other workers; one per test was a fifth of CI.
    Each test still runs in its own savepoint inside this transaction (pytest-django's `db`), so what one test
    changes the next never sees. A class that shares the demo must not hold tests that expect an empty database:
    `pytest_collection_modifyitems` above refuses to collect such a class. Outside a class, pytest gives a
    class-scoped fixture to each test alone, so a module-level test seeds its own demo as before."""
    # The fast hasher every test gets (fast_password_hashing), or the demo's accounts could not sign in under it.
    hashers = [FAST_HASHER, *settings.PASSWORD_HASHERS]
    # Its own media folder too, as every test gets one (private_media_root).
    media = tmp_path_factory.mktemp("demo-media")
    # The database is open only while seeding and rolling back: between them each test's `db` opens it, and a test
    # of the class that does not ask for the database cannot reach it (or write outside any savepoint).
    with override_settings(PASSWORD_HASHERS=hashers, MEDIA_ROOT=media):
        atomic = transaction.atomic()
        try:
            with django_db_blocker.unblock():
                atomic.__enter__()
                call_command("seed_demo", stdout=io.StringIO())
            yield
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)


@pytest.fixture
def demo(_demo_seeded, db):
    """The demo data: 40 child victims from January to September 2023 (perisai/cases/demo.py), and its
    accounts by role (the demo's home office is the only one, so tests use its people)."""
    return {
        "analyst": User.objects.get(email="analis@perisai.test"),
        "supervisor": User.objects.get(email="kepala@perisai.test"),
        "manager": User.objects.get(email="pendamping@perisai.test"),
        "officer": User.objects.get(email="petugas@perisai.test"),
    }


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
