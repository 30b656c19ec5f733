import datetime as dt

import pytest

from perisai.accounts.choices import Role
from perisai.accounts.testing import matrix_users
from perisai.prevention import services
from perisai.prevention.choices import Audience, Topic
from perisai.regions.models import Region


@pytest.fixture
def users(make_user, police_agency):
    return matrix_users(make_user, partner_agency=police_agency)


@pytest.fixture
def kelurahan(db):
    return Region.objects.get(code="36.72.05.1003")  # Masigit, Jombang


@pytest.fixture
def group(users, kelurahan):
    group = services.patbm_group_create(actor=users[Role.SUPERVISOR], name="PATBM Masigit", kelurahan=kelurahan)
    services.patbm_member_add(
        actor=users[Role.SUPERVISOR], group=group, name="Ibu Rahmawati", phone="+6281234567890", role="chair"
    )
    return group


@pytest.fixture
def activity(users, kelurahan, police_agency):
    """Run by the police (the matrix's partner agency), the office taking part."""
    return services.activity_record(
        actor=users[Role.SUPERVISOR],
        organiser=police_agency,
        agencies=[users[Role.SUPERVISOR].agency],
        held_on=dt.date(2026, 11, 20),
        place="SDN Masigit 1",
        kelurahan=kelurahan,
        audience=Audience.STUDENTS,
        topic=Topic.SEXUAL_VIOLENCE,
        participants=80,
    )


def activity_post(kelurahan, /, **changes):
    data = {
        "held_on": "2026-11-25",
        "title": "Sosialisasi Stop Kekerasan",
        "topic": Topic.SEXUAL_VIOLENCE,
        "audience": Audience.PARENTS,
        "kelurahan": kelurahan.code,
        "place": "Aula Kelurahan Masigit",
        "participants": "45",
        "materials": "Leaflet Perisai",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
