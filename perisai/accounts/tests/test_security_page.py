"""The administrators' security page: who may open it, and what it shows (issue 15, item 6)."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.accounts.testing import assert_access, matrix_users
from perisai.audit.selectors import BURST

pytestmark = pytest.mark.django_db

URL = reverse("accounts:security")


def test_only_administrators_open_it(make_user):
    assert_access(URL, users=matrix_users(make_user), allowed=[Role.ADMINISTRATOR])


def test_a_burst_of_not_found_answers_is_flagged_with_the_account(make_user):
    prober = make_user(Role.CASE_MANAGER, email="penebak@perisai.test")
    client = Client()
    client.force_login(prober)
    for _ in range(BURST):
        client.get(f"/staf/kasus/{uuid.uuid4()}/")
    Client(REMOTE_ADDR="198.51.100.9").post(reverse("reports_public:check"), {"code": "LPR-2222-3333", "pin": "1"})
    admin = Client()
    admin.force_login(make_user(Role.ADMINISTRATOR))
    page = admin.get(URL, {"hari": "7"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "penebak@perisai.test" in body and "Perlu diperiksa" in body
    assert page.context["overview"].pin_failures == {"known": 0, "unknown": 1}
