"""SIMFONI-PPA's KDRT flag is derived from who did it and where (UU 23/2004 Pasal 2), and shown on the case."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.cases.tests.factories import open_case
from perisai.core.simfoni import is_domestic

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("relationships", "place", "marked", "expected"),
    [
        (["orang_tua"], "sekolah", False, True),  # a parent is household wherever it happened
        (["suami_istri"], "", False, True),
        (["keluarga"], "rumah_tangga", False, True),  # a relative living in, at home
        (["keluarga"], "fasilitas_umum", False, False),
        (["majikan"], "rumah_tangga", False, True),  # a live-in domestic worker's employer
        (["tetangga"], "rumah_tangga", False, False),
        (["tetangga"], "rumah_tangga", True, True),  # staff know the neighbour lives in the house
        ([], "rumah_tangga", False, False),
    ],
)
def test_the_household_rule(relationships, place, marked, expected):
    assert is_domestic(relationships, place, marked=marked) is expected


def test_a_parent_at_home_is_kdrt_on_the_case_page(make_user):
    manager = make_user(Role.CASE_MANAGER)
    case = open_case(make_user, manager=manager, perpetrator_description="Ayah", perpetrator_relationship="orang_tua")
    victim = case.victims.get()
    assert victim.kdrt
    client = Client()
    client.force_login(manager)
    assert "· KDRT" in client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    neighbour = open_case(make_user, manager=manager, perpetrator_relationship="tetangga", place="rumah_tangga")
    assert not neighbour.victims.get().kdrt
    assert "· KDRT" not in client.get(reverse("cases:detail", args=[neighbour.public_id])).content.decode()
