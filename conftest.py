"""Project-wide pytest fixtures: users with roles, built through the real services."""

from __future__ import annotations

import pytest

from perisai.accounts import services
from perisai.accounts.choices import AgencyKind, Role

PASSWORD = "correct-horse-battery-staple-42"  # noqa: S105 - test-only account password


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

    def make(*roles: str, agency=None, email: str | None = None, password: str = PASSWORD):
        if agency is None:
            agency = police_agency if Role.PARTNER_STAFF in roles else home_office
        number = next(counter)
        return services.user_create(
            actor=None,
            email=email or f"user{number}@perisai.test",
            full_name=f"Pengguna Uji {number}",
            agency=agency,
            roles=roles,
            password=password,
        )

    return make
