"""The permission matrix for every outreach view: who gets through, everyone else 404."""

import datetime as dt

import pytest
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.accounts.testing import OTHER_PARTNER, assert_access, matrix_users, one_at_a_time
from perisai.audit.choices import AuditAction
from perisai.outreach import services
from perisai.regions.selectors import kecamatan_of_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(make_user, police_agency):
    return matrix_users(make_user, partner_agency=police_agency)


OUTREACH_READERS = {Role.INTAKE_OFFICER, Role.CASE_MANAGER, Role.SUPERVISOR}
OUTREACH_WRITERS = {Role.INTAKE_OFFICER, Role.SUPERVISOR}
# matrix_users' "other partner" works for a Dinas Sosial: it runs operations of its own, so it lists and records
# them, but never opens an operation its agency was not in (this one is the police's). The police do not.
OPERATING_PARTNER = {OTHER_PARTNER}


@pytest.fixture
def operation(users, police_agency):
    return services.outreach_record(
        actor=users[Role.SUPERVISOR],
        held_on=dt.date(2026, 11, 20),
        kecamatan=kecamatan_of_city().first(),
        location="Simpang Tiga PCI",
        agencies=[police_agency],
    )


class OutreachMatrixTests:
    def test_list_and_detail(self, users, operation):
        assert_access(reverse("outreach:list"), users=users, allowed=OUTREACH_READERS | OPERATING_PARTNER)
        assert_access(
            reverse("outreach:detail", args=[operation.public_id]),
            users=users,
            allowed=OUTREACH_READERS,
            audit_action=AuditAction.RECORD_VIEWED,
        )

    def test_create_and_add_child(self, users, operation):
        assert_access(reverse("outreach:create"), users=users, allowed=OUTREACH_WRITERS | OPERATING_PARTNER)
        assert_access(
            reverse("outreach:add_child", args=[operation.public_id]),
            users=users,
            allowed=OUTREACH_WRITERS,
            method="post",
            data={"name": "A", "estimated_age": "9", "situation": "begging"},
            ok_status=(302,),
        )

    def test_make_report(self, users, operation):
        def url():
            child = services.outreach_child_add(
                actor=users[Role.SUPERVISOR], operation=operation, name="B", estimated_age=8, situation="working"
            )
            return reverse("outreach:child_report", args=[operation.public_id, child.public_id])

        one_at_a_time(users, OUTREACH_WRITERS, url)
