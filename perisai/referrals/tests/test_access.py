"""The permission matrix for every referral view: who gets through, everyone else 404."""

import pytest
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.accounts.testing import EVERY_SIGNED_IN, OTHER_PARTNER, assert_access, matrix_users, one_at_a_time
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
