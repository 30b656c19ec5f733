"""The permission matrix for every referral, operation and meeting view: who gets through, everyone else 404."""

import datetime as dt

import pytest
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.accounts.testing import EVERY_SIGNED_IN, OTHER_PARTNER, assert_access, matrix_users
from perisai.audit.choices import AuditAction
from perisai.cases.tests.factories import open_case
from perisai.core.services import attachment_store
from perisai.core.tests.uploads import pdf
from perisai.referrals import services
from perisai.referrals.choices import SharedItem
from perisai.referrals.tests.helpers import refer

pytestmark = pytest.mark.django_db

OFFICE_CASE = {Role.CASE_MANAGER, Role.SUPERVISOR}
PARTNER = {Role.PARTNER_STAFF}


@pytest.fixture
def users(make_user, police_agency):
    return matrix_users(make_user, partner_agency=police_agency)


@pytest.fixture
def case(make_user, users):
    return open_case(make_user, manager=users[Role.CASE_MANAGER])


def fresh(users, case, police_agency, accepted=False):
    referral = refer(users[Role.CASE_MANAGER], case, police_agency)
    if accepted:
        services.referral_accept(actor=users[Role.PARTNER_STAFF], referral=referral)
    return referral


def one_at_a_time(users, allowed, make_url, data=None):
    """State-changing steps: each allowed user acts on a fresh referral, after everyone else was refused."""
    for label in allowed:
        others = {key: user for key, user in users.items() if key not in allowed}
        assert_access(
            make_url(),
            users={**others, label: users[label]},
            allowed={label},
            method="post",
            data=data,
            ok_status=(302,),
        )


class ReferralMatrixTests:
    def test_list(self, users):
        assert_access(reverse("referrals:list"), users=users, allowed=OFFICE_CASE | PARTNER | {OTHER_PARTNER})

    def test_create(self, users, case):
        assert_access(reverse("referrals:create", args=[case.public_id]), users=users, allowed=OFFICE_CASE)

    def test_detail_is_audited(self, users, case, police_agency):
        referral = fresh(users, case, police_agency)
        assert_access(
            reverse("referrals:detail", args=[referral.public_id]),
            users=users,
            allowed=OFFICE_CASE | PARTNER,
            audit_action=AuditAction.REFERRAL_VIEWED,
        )

    def test_accept(self, users, case, police_agency):
        one_at_a_time(
            users, PARTNER, lambda: reverse("referrals:accept", args=[fresh(users, case, police_agency).public_id])
        )

    def test_decline(self, users, case, police_agency):
        one_at_a_time(
            users,
            PARTNER,
            lambda: reverse("referrals:decline", args=[fresh(users, case, police_agency).public_id]),
            {"reason": "Bukan kewenangan kami, mohon ke Polda."},
        )

    def test_revoke(self, users, case, police_agency):
        one_at_a_time(
            users,
            OFFICE_CASE,
            lambda: reverse("referrals:revoke", args=[fresh(users, case, police_agency).public_id]),
            {"reason": "Wali mencabut persetujuan."},
        )

    def test_messages(self, users, case, police_agency):
        referral = fresh(users, case, police_agency)
        assert_access(
            reverse("referrals:message", args=[referral.public_id]),
            users=users,
            allowed=OFFICE_CASE | PARTNER,
            method="post",
            data={"body": "Mohon kabar terbaru."},
            ok_status=(302,),
        )

    def test_record_action(self, users, case, police_agency):
        referral = fresh(users, case, police_agency, accepted=True)
        assert_access(
            reverse("referrals:action", args=[referral.public_id]),
            users=users,
            allowed=PARTNER,
            method="post",
            data={"action_type": "police_report", "police_report_number": "LP/B/1/2026"},
            ok_status=(302,),
        )

    def test_complete(self, users, case, police_agency):
        one_at_a_time(
            users,
            PARTNER,
            lambda: reverse("referrals:complete", args=[fresh(users, case, police_agency, accepted=True).public_id]),
            {"outcome": "Penyidikan berjalan.", "record_service": "on"},
        )

    def test_shared_document(self, users, case, police_agency):
        document = attachment_store(actor=None, owner=case, uploaded_file=pdf())
        referral = refer(
            users[Role.CASE_MANAGER],
            case,
            police_agency,
            items=[SharedItem.DOCUMENTS],
            document_ids=[str(document.public_id)],
        )
        assert_access(
            reverse("referrals:document", args=[referral.public_id, document.public_id]),
            users=users,
            allowed=OFFICE_CASE | PARTNER,
            audit_action=AuditAction.ATTACHMENT_VIEWED,
        )

    def test_after_revocation_the_partner_gets_404_everywhere(self, users, case, police_agency):
        referral = fresh(users, case, police_agency)
        services.referral_revoke(actor=users[Role.CASE_MANAGER], referral=referral, reason="Persetujuan dicabut.")
        for name in ("detail",):
            assert_access(reverse(f"referrals:{name}", args=[referral.public_id]), users=users, allowed=OFFICE_CASE)

    def test_response_times(self, users):
        assert_access(reverse("referrals:response_times"), users=users, allowed=OFFICE_CASE | {Role.ANALYST})

    def test_refer_to_office(self, users):
        assert_access(reverse("referrals:refer_in"), users=users, allowed=PARTNER | {OTHER_PARTNER})

    def test_notifications_are_everyones_own(self, users):
        assert_access(reverse("portal:notifications"), users=users, allowed=EVERY_SIGNED_IN)


OUTREACH_READERS = {Role.INTAKE_OFFICER, Role.CASE_MANAGER, Role.SUPERVISOR}
OUTREACH_WRITERS = {Role.INTAKE_OFFICER, Role.SUPERVISOR}


@pytest.fixture
def operation(users, police_agency):
    from perisai.regions.selectors import kecamatan_of_city

    return services.outreach_record(
        actor=users[Role.SUPERVISOR],
        held_on=dt.date(2026, 11, 20),
        kecamatan=kecamatan_of_city().first(),
        location="Simpang Tiga PCI",
        agencies=[police_agency],
    )


class OutreachMatrixTests:
    def test_list_and_detail(self, users, operation):
        assert_access(reverse("referrals:operation_list"), users=users, allowed=OUTREACH_READERS)
        assert_access(
            reverse("referrals:operation_detail", args=[operation.public_id]),
            users=users,
            allowed=OUTREACH_READERS,
            audit_action=AuditAction.RECORD_VIEWED,
        )

    def test_create_and_add_child(self, users, operation):
        assert_access(reverse("referrals:operation_create"), users=users, allowed=OUTREACH_WRITERS)
        assert_access(
            reverse("referrals:operation_add_child", args=[operation.public_id]),
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
            return reverse("referrals:operation_child_report", args=[operation.public_id, child.public_id])

        one_at_a_time(users, OUTREACH_WRITERS, url)


MEETING_READERS = OUTREACH_READERS | PARTNER


@pytest.fixture
def meeting(users, police_agency):
    return services.meeting_record(
        actor=users[Role.SUPERVISOR], held_on=dt.date(2026, 11, 25), title="Rakor PPA", agencies=[police_agency]
    )


class MeetingMatrixTests:
    def test_list_and_detail(self, users, meeting):
        assert_access(reverse("referrals:meeting_list"), users=users, allowed=MEETING_READERS | {OTHER_PARTNER})
        assert_access(
            reverse("referrals:meeting_detail", args=[meeting.public_id]), users=users, allowed=MEETING_READERS
        )

    def test_create_and_add_items(self, users, meeting, police_agency):
        assert_access(reverse("referrals:meeting_create"), users=users, allowed=OFFICE_CASE)
        assert_access(
            reverse("referrals:meeting_add_item", args=[meeting.public_id]),
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
            return reverse("referrals:meeting_item_done", args=[meeting.public_id, item.public_id])

        one_at_a_time(users, OFFICE_CASE | PARTNER, url)
