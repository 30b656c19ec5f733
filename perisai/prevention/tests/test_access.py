"""The permission matrix of every prevention view: who gets through, everyone else 404."""

import pytest
import time_machine
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.accounts.testing import OTHER_PARTNER, assert_access
from perisai.audit.choices import AuditAction
from perisai.prevention.tests.conftest import activity_post

pytestmark = pytest.mark.django_db

FIELD = {Role.INTAKE_OFFICER, Role.CASE_MANAGER, Role.SUPERVISOR}
OFFICE_READERS = FIELD | {Role.ANALYST}
PARTNERS = {Role.PARTNER_STAFF, OTHER_PARTNER}
INTAKE = {Role.INTAKE_OFFICER, Role.SUPERVISOR}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-11-30 10:00 +07:00", tick=False):
        yield


class ActivityMatrixTests:
    def test_list_and_create(self, users, kelurahan):
        assert_access(reverse("prevention:activities"), users=users, allowed=OFFICE_READERS | PARTNERS)
        assert_access(reverse("prevention:activity_create"), users=users, allowed=FIELD | PARTNERS)
        assert_access(
            reverse("prevention:activity_create"),
            users=users,
            allowed=FIELD | PARTNERS,
            method="post",
            data=lambda: activity_post(kelurahan, organiser=str(users[Role.SUPERVISOR].agency_id)),
            ok_status=(302,),
            audit_action=AuditAction.PREVENTION_RECORDED,
        )

    def test_a_partner_sees_what_its_agency_ran_or_joined_and_changes_only_what_it_ran(self, users, activity):
        detail = reverse("prevention:activity", args=[activity.public_id])
        edit = reverse("prevention:activity_edit", args=[activity.public_id])
        # The police ran it: their staff see and change it; the other partner (Dinas Sosial) was not there.
        assert_access(detail, users=users, allowed=OFFICE_READERS | {Role.PARTNER_STAFF})
        assert_access(edit, users=users, allowed=FIELD | {Role.PARTNER_STAFF})


class GroupMatrixTests:
    def test_groups_are_the_office_s(self, users, group):
        assert_access(reverse("prevention:groups"), users=users, allowed=OFFICE_READERS)
        assert_access(reverse("prevention:group_create"), users=users, allowed=FIELD)
        assert_access(reverse("prevention:group", args=[group.public_id]), users=users, allowed=OFFICE_READERS)
        assert_access(reverse("prevention:group_edit", args=[group.public_id]), users=users, allowed=FIELD)

    def test_members_contacts_are_for_those_who_work_with_the_group(self, users, group):
        member = group.members.get()
        assert_access(reverse("prevention:member_add", args=[group.public_id]), users=users, allowed=FIELD)
        assert_access(
            reverse("prevention:member_edit", args=[group.public_id, member.public_id]), users=users, allowed=FIELD
        )
        for role, sees in ((Role.CASE_MANAGER, True), (Role.ANALYST, False)):
            from django.test import Client

            client = Client()
            client.force_login(users[role])
            page = client.get(reverse("prevention:group", args=[group.public_id])).content.decode()
            assert ("Ibu Rahmawati" in page) is sees and ("+6281234567890" in page) is sees

    def test_only_intake_records_a_report_from_a_group(self, users, group):
        assert_access(reverse("prevention:group_report", args=[group.public_id]), users=users, allowed=INTAKE)
