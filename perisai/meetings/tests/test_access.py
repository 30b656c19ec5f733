"""The permission matrix for every meeting view: who gets through, everyone else 404."""

import datetime as dt

import pytest
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.accounts.testing import OTHER_PARTNER, assert_access, matrix_users, one_at_a_time
from perisai.meetings import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(make_user, police_agency):
    return matrix_users(make_user, partner_agency=police_agency)


MEETING_READERS = {Role.INTAKE_OFFICER, Role.CASE_MANAGER, Role.SUPERVISOR, Role.PARTNER_STAFF}
OFFICE_CASE = {Role.CASE_MANAGER, Role.SUPERVISOR}


@pytest.fixture
def meeting(users, police_agency):
    return services.meeting_record(
        actor=users[Role.SUPERVISOR], held_on=dt.date(2026, 11, 25), title="Rakor PPA", agencies=[police_agency]
    )


class MeetingMatrixTests:
    def test_list_and_detail(self, users, meeting):
        assert_access(reverse("meetings:list"), users=users, allowed=MEETING_READERS | {OTHER_PARTNER})
        assert_access(reverse("meetings:detail", args=[meeting.public_id]), users=users, allowed=MEETING_READERS)

    def test_create_and_add_items(self, users, meeting, police_agency):
        assert_access(reverse("meetings:create"), users=users, allowed=OFFICE_CASE)
        assert_access(
            reverse("meetings:add_item", args=[meeting.public_id]),
            users=users,
            allowed=OFFICE_CASE,
            method="post",
            data={"agency": police_agency.pk, "description": "Periksa saksi kasus 001", "due_on": "2026-12-01"},
            ok_status=(302,),
        )

    def test_complete_item(self, users, meeting, police_agency):
        def url():
            item = services.meeting_item_add(
                actor=users[Role.SUPERVISOR],
                meeting=meeting,
                agency=police_agency,
                description="Periksa saksi",
                due_on=dt.date(2026, 12, 1),
            )
            return reverse("meetings:item_done", args=[meeting.public_id, item.public_id])

        one_at_a_time(users, OFFICE_CASE | {Role.PARTNER_STAFF}, url)
