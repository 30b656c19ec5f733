"""Limits on what partners keep and what notices carry, found by a security review and kept fixed here."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from perisai.accounts.choices import Role
from perisai.audit.choices import AuditAction
from perisai.audit.models import AuditEvent
from perisai.audit.selectors import openings_of
from perisai.cases import services as case_services
from perisai.cases.choices import CaseStatus
from perisai.cases.models import Case, Service
from perisai.cases.retention import apply_retention
from perisai.core.models import Notification
from perisai.core.services import attachment_store
from perisai.core.tests.uploads import pdf
from perisai.referrals import services
from perisai.referrals.choices import ReferralStatus, SharedItem
from perisai.referrals.contributions import digest_lines
from perisai.referrals.models import Referral
from perisai.referrals.tests.helpers import SECRET_CHRONOLOGY, SECRET_NAME, SECRET_NIK, case_with_secrets, refer
from perisai.reports.models import Report
from perisai.reports.tests.helpers import form_data

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def cast(make_user, police_agency):
    manager, police = make_user(Role.CASE_MANAGER), make_user(Role.PARTNER_STAFF)
    return {
        "manager": manager,
        "police": police,
        "case": case_with_secrets(make_user, manager),
        "agency": police_agency,
    }


def detail(referral) -> str:
    return reverse("referrals:detail", args=[referral.public_id])


class AfterTheWorkTests:
    def test_after_a_decline_the_partner_keeps_only_the_minimum_and_no_document(self, cast):
        document = attachment_store(actor=cast["manager"], owner=cast["case"], uploaded_file=pdf("visum.pdf"))
        referral = refer(
            cast["manager"],
            cast["case"],
            cast["agency"],
            items=[SharedItem.FULL_NAME, SharedItem.DOCUMENTS],
            document_ids=[str(document.public_id)],
        )
        services.referral_decline(actor=cast["police"], referral=referral, reason="Bukan wilayah hukum kami.")
        police = login(cast["police"])
        page = police.get(detail(referral)).content.decode()
        assert "S. R. Z." in page and SECRET_NAME not in page
        assert (
            police.get(reverse("referrals:document", args=[referral.public_id, document.public_id])).status_code == 404
        )
        # And the office can still take it back entirely.
        services.referral_revoke(actor=cast["manager"], referral=referral, reason="Mitra menolak; akses ditutup.")
        assert police.get(detail(referral)).status_code == 404

    def test_a_completed_referral_leaves_the_partners_side_after_the_window(self, cast, settings):
        referral = refer(cast["manager"], cast["case"], cast["agency"])
        services.referral_accept(actor=cast["police"], referral=referral)
        services.referral_complete(actor=cast["police"], referral=referral, outcome="Selesai diperiksa.")
        police = login(cast["police"])
        assert police.get(detail(referral)).status_code == 200
        days = settings.PERISAI_REFERRAL_PARTNER_DAYS_AFTER_COMPLETION
        Referral.objects.filter(pk=referral.pk).update(completed_at=timezone.now() - dt.timedelta(days=days + 1))
        assert police.get(detail(referral)).status_code == 404
        assert login(cast["manager"]).get(detail(referral)).status_code == 200

    def test_the_case_manager_can_revoke_after_the_case_is_closed(self, cast):
        referral = refer(cast["manager"], cast["case"], cast["agency"])
        services.referral_accept(actor=cast["police"], referral=referral)
        Case.objects.filter(pk=cast["case"].pk).update(status=CaseStatus.CLOSED)
        response = login(cast["manager"]).post(
            reverse("referrals:revoke", args=[referral.public_id]), {"reason": "Kasus ditutup, akses dicabut."}
        )
        assert response.status_code == 302
        assert login(cast["police"]).get(detail(referral)).status_code == 404

    def test_retention_erases_what_partners_were_shared_and_ends_their_access(self, cast):
        referral = refer(
            cast["manager"],
            cast["case"],
            cast["agency"],
            items=[SharedItem.FULL_NAME, SharedItem.BIRTH_DATE, SharedItem.CHRONOLOGY],
        )
        services.referral_accept(actor=cast["police"], referral=referral)
        services.referral_record_action(actor=cast["police"], referral=referral, action_type="other", body="Catatan")
        services.referral_complete(actor=cast["police"], referral=referral, outcome="Visum selesai dilakukan.")
        Case.objects.filter(pk=cast["case"].pk).update(
            status=CaseStatus.CLOSED, closed_at=timezone.now() - dt.timedelta(days=3650)
        )
        assert apply_retention() == 1
        referral.refresh_from_db()
        for secret in (SECRET_NAME, SECRET_NIK, SECRET_CHRONOLOGY, "Visum selesai"):
            assert secret not in referral.snapshot and secret not in referral.outcome
        assert all(update.body == "" for update in referral.updates.all())
        assert login(cast["police"]).get(detail(referral)).status_code == 404


class AuditTests:
    def test_a_re_shown_page_counts_as_an_opening(self, cast):
        referral = refer(cast["manager"], cast["case"], cast["agency"])
        police = login(cast["police"])
        response = police.post(reverse("referrals:message", args=[referral.public_id]), {"body": ""})
        assert response.status_code == 400
        assert AuditEvent.objects.filter(action=AuditAction.REFERRAL_VIEWED, actor=cast["police"]).count() == 1

    def test_a_partners_document_download_is_listed_among_the_openings_of_the_case(self, cast):
        document = attachment_store(actor=cast["manager"], owner=cast["case"], uploaded_file=pdf("visum.pdf"))
        referral = refer(
            cast["manager"],
            cast["case"],
            cast["agency"],
            items=[SharedItem.DOCUMENTS],
            document_ids=[str(document.public_id)],
        )
        url = reverse("referrals:document", args=[referral.public_id, document.public_id])
        assert login(cast["police"]).get(url).status_code == 200
        opening = openings_of(cast["case"]).get(actor=cast["police"])
        assert opening.action == AuditAction.REFERRAL_DOCUMENT_VIEWED and opening.agency == cast["agency"]

    def test_pages_for_signed_in_people_are_not_kept_by_the_browser(self, cast):
        referral = refer(cast["manager"], cast["case"], cast["agency"])
        police = login(cast["police"])
        assert "no-store" in police.get(detail(referral))["Cache-Control"]
        done = police.post(reverse("referrals:refer_in"), form_data(urgent="no"))
        assert done.status_code == 200 and "no-store" in done["Cache-Control"]


class WhoHearsTests:
    def test_a_deactivated_agency_loses_access_and_hears_nothing(self, cast):
        referral = refer(cast["manager"], cast["case"], cast["agency"])
        type(cast["agency"]).objects.filter(pk=cast["agency"].pk).update(is_active=False)
        cast["police"].agency.refresh_from_db()
        assert login(cast["police"]).get(detail(referral)).status_code == 404
        before = Notification.objects.filter(user=cast["police"]).count()
        refer(cast["manager"], cast["case"], cast["agency"])
        assert Notification.objects.filter(user=cast["police"]).count() == before

    def test_a_manager_who_handed_the_case_over_hears_no_more(self, cast, make_user):
        referral = refer(cast["manager"], cast["case"], cast["agency"])
        Case.objects.filter(pk=cast["case"].pk).update(case_manager=make_user(Role.CASE_MANAGER))
        services.referral_accept(actor=cast["police"], referral=referral)
        assert not Notification.objects.filter(user=cast["manager"], message__contains="menerima").exists()

    def test_a_supervisors_digest_does_not_reveal_a_restricted_case(self, cast, make_user):
        supervisor = make_user(Role.SUPERVISOR)
        referral = refer(cast["manager"], cast["case"], cast["agency"])
        Case.objects.filter(pk=cast["case"].pk).update(restricted=True)
        Referral.objects.filter(pk=referral.pk).update(due_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
        lines = digest_lines(supervisor, dt.datetime(2026, 11, 10, tzinfo=dt.UTC))
        assert not any(cast["case"].registration_number in line for line in lines)
        assert digest_lines(cast["manager"], dt.datetime(2026, 11, 10, tzinfo=dt.UTC))


class SendingRulesTests:
    def test_consent_needs_a_note_of_who_gave_it(self, cast):
        with pytest.raises(ValidationError) as error:
            refer(cast["manager"], cast["case"], cast["agency"], basis_note="")
        assert "basis_note" in error.value.message_dict
        referral = refer(cast["manager"], cast["case"], cast["agency"], basis="legal_duty", basis_note="")
        event = AuditEvent.objects.filter(action=AuditAction.REFERRAL_SENT).last()
        assert referral.sharing_basis == "legal_duty" and event.extra["basis"] == "legal_duty"

    def test_completion_records_services_only_for_the_children_referred(self, cast):
        referral = refer(cast["manager"], cast["case"], cast["agency"])
        case = Case.objects.get(pk=cast["case"].pk)
        case_services.victim_save(
            actor=cast["manager"],
            case=case,
            version=case.version,
            name="Adik",
            estimated_age=5,
            violence_types=["seksual"],
        )
        services.referral_accept(actor=cast["police"], referral=referral)
        services.referral_complete(actor=cast["police"], referral=referral, outcome="Selesai diperiksa.")
        assert Service.objects.filter(victim__case=case).count() == 1
        assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.COMPLETED

    def test_a_partner_cannot_date_a_hand_over(self, cast):
        police = login(cast["police"])
        data = form_data(urgent="yes", received_at="2031-01-01T10:00", channel="sapa129")
        assert police.post(reverse("referrals:refer_in"), data).status_code == 200
        report = Report.objects.get(source_agency=cast["agency"])
        assert report.received_at.year == timezone.now().year and report.channel == "police"
