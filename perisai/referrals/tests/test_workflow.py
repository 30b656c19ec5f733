import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from perisai.accounts import services as account_services
from perisai.accounts.choices import AgencyKind, Role
from perisai.audit.choices import AuditAction
from perisai.audit.models import AuditEvent
from perisai.cases import deadlines
from perisai.cases.models import Service
from perisai.cases.selectors import case_timeline
from perisai.cases.tests.factories import open_case
from perisai.core.choices import NotificationKind
from perisai.core.models import Notification
from perisai.referrals import selectors, services
from perisai.referrals.choices import REFERRAL_TRANSITIONS, ReferralStatus, Side
from perisai.referrals.models import Referral
from perisai.referrals.policies import referral_policy
from perisai.referrals.tests.helpers import SECRET_NAME, SECRET_NIK, case_with_secrets, refer
from perisai.reports.choices import ReportStatus

pytestmark = pytest.mark.django_db


class ReferralTransitionTableTests:
    @pytest.mark.parametrize("role", Role.values)
    def test_every_pair_of_statuses_for_every_role(self, make_user, police_agency, role):
        manager = make_user(Role.CASE_MANAGER)
        actor = manager if role == Role.CASE_MANAGER else make_user(role)
        case = open_case(make_user, manager=manager)
        referral = refer(manager, case, police_agency)
        side = Side.PARTNER if role == Role.PARTNER_STAFF else Side.OFFICE
        for frm, to in itertools.product(ReferralStatus.values, ReferralStatus.values):
            Referral.objects.filter(pk=referral.pk).update(status=frm)
            referral.refresh_from_db()
            rule = REFERRAL_TRANSITIONS.get((frm, to))
            # Office steps are for the people who manage the case; partner steps for the receiving agency.
            office_may = role in (Role.CASE_MANAGER, Role.SUPERVISOR)
            visible = not (side == Side.PARTNER and frm == ReferralStatus.REVOKED)
            expected = rule is not None and rule == side and visible and (office_may if side == Side.OFFICE else True)
            assert referral_policy.may_transition(actor, referral, to) == expected, (role, frm, to)

    def test_a_partner_of_another_agency_can_do_nothing(self, make_user, police_agency):
        manager = make_user(Role.CASE_MANAGER)
        other = account_services.agency_save(actor=None, name="Dinsos Uji", kind=AgencyKind.SOCIAL)
        outsider = make_user(Role.PARTNER_STAFF, agency=other)
        referral = refer(manager, open_case(make_user, manager=manager), police_agency)
        for to in ReferralStatus.values:
            assert not referral_policy.may_transition(outsider, referral, to)
        with pytest.raises(Http404):
            services.referral_accept(actor=outsider, referral=referral)


class SendTests:
    def test_the_basis_a_referral_was_sent_on_is_recorded_on_the_case(self, make_user, police_agency):
        manager = make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=manager)
        assert case.lawful_basis == ""
        refer(manager, case, police_agency, basis="guardian_consent", basis_note="Ibu kandung setuju secara lisan.")
        case.refresh_from_db()
        assert case.lawful_basis == "guardian_consent" and case.lawful_basis_note == "Ibu kandung setuju secara lisan."
        assert case.lawful_basis_recorded_at is not None
        recorded = AuditEvent.objects.get(action=AuditAction.CONSENT_RECORDED)
        assert recorded.actor == manager and recorded.extra == {"basis": "guardian_consent", "from": "referral"}
        # A basis already recorded is never replaced by a referral's (nor its note blanked).
        refer(manager, case, police_agency, basis="guardian_consent")
        refer(manager, case, police_agency, basis="legal_duty", basis_note="")
        case.refresh_from_db()
        assert case.lawful_basis == "guardian_consent" and case.lawful_basis_note == "Ibu kandung setuju secara lisan."
        assert AuditEvent.objects.filter(action=AuditAction.CONSENT_RECORDED).count() == 1

    def test_a_referral_goes_to_several_agencies_with_deadlines_by_urgency(self, make_user, police_agency):
        manager = make_user(Role.CASE_MANAGER)
        social = account_services.agency_save(actor=None, name="Dinsos Uji", kind=AgencyKind.SOCIAL)
        case = open_case(make_user, manager=manager)
        before = timezone.now()
        sent = services.referral_send(
            actor=manager,
            case=case,
            agencies=[police_agency, social],
            service_type="penegakan_hukum",
            urgency="normal",
            reason="Mohon pendampingan lanjutan.",
            basis="legal_duty",
        )
        assert len(sent) == 2 and sent[0].batch == sent[1].batch
        for referral in sent:
            assert dt.timedelta(hours=71) < referral.due_at - before <= dt.timedelta(hours=72, seconds=5)
        urgent = refer(manager, case, police_agency)
        assert urgent.due_at - urgent.created_at == dt.timedelta(hours=24)
        assert case.reports.get().status == ReportStatus.REFERRED  # the reporter reads "with a partner"

    def test_without_a_basis_a_case_manager_cannot_send(self, make_user, police_agency):
        manager = make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=manager)
        with pytest.raises(ValidationError) as error:
            refer(manager, case, police_agency, basis="")
        assert "basis" in error.value.message_dict
        assert not Referral.objects.exists()

    def test_a_supervisor_may_override_with_a_reason_and_it_is_audited(self, make_user, police_agency):
        supervisor = make_user(Role.SUPERVISOR)
        case = open_case(make_user, manager=make_user(Role.CASE_MANAGER))
        with pytest.raises(ValidationError) as error:
            refer(supervisor, case, police_agency, basis="", override_reason="")
        assert "override_reason" in error.value.message_dict
        referral = refer(
            supervisor, case, police_agency, basis="", override_reason="Anak dalam bahaya, wali tidak ada."
        )
        assert referral.override_reason
        assert AuditEvent.objects.filter(action=AuditAction.SHARING_OVERRIDE, actor=supervisor).count() == 1

    def test_nobody_outside_the_case_can_refer_it(self, make_user, police_agency):
        case = open_case(make_user, manager=make_user(Role.CASE_MANAGER))
        for role in (Role.CASE_MANAGER, Role.INTAKE_OFFICER, Role.ANALYST, Role.PARTNER_STAFF):
            with pytest.raises(Http404):
                refer(make_user(role), case, police_agency)

    def test_a_reason_and_an_agency_are_required(self, make_user, police_agency, home_office):
        manager = make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=manager)
        with pytest.raises(ValidationError) as error:
            refer(manager, case, police_agency, agencies=[], reason="pendek")
        assert {"agencies", "reason"} <= set(error.value.message_dict)
        with pytest.raises(ValidationError):
            refer(manager, case, home_office)


class PartnerStepsTests:
    def test_accept_act_complete_records_the_service_and_the_timeline(self, make_user, police_agency):
        manager = make_user(Role.CASE_MANAGER)
        police = make_user(Role.PARTNER_STAFF)
        case = open_case(make_user, manager=manager)
        referral = refer(manager, case, police_agency)
        assert Notification.objects.filter(user=police).count() == 1
        services.referral_ask(actor=police, referral=referral, body="Apakah anak sudah divisum?")
        services.referral_answer(actor=manager, referral=referral, body="Belum, mohon dijadwalkan.")
        referral = services.referral_accept(actor=police, referral=referral)
        assert referral.responded_at and referral.answered_in_time
        services.referral_record_action(
            actor=police, referral=referral, action_type="police_report", police_report_number="LP/B/12/XI/2026"
        )
        referral = services.referral_complete(
            actor=police, referral=referral, outcome="Laporan polisi dibuat, penyidikan berjalan."
        )
        assert referral.status == ReferralStatus.COMPLETED
        service = Service.objects.get(victim__case=case)
        assert service.provider == police_agency and service.service_type == "penegakan_hukum"
        actions = [event.action for event in case_timeline(case)]
        for action in (
            AuditAction.REFERRAL_SENT,
            AuditAction.REFERRAL_QUESTION,
            AuditAction.REFERRAL_ANSWERED,
            AuditAction.REFERRAL_ACCEPTED,
            AuditAction.REFERRAL_ACTION,
            AuditAction.REFERRAL_COMPLETED,
        ):
            assert action in actions
        # The office hears of every partner step (question, accept, action, completion).
        assert Notification.objects.filter(user=manager).count() == 4

    def test_the_police_report_number_and_stage_reach_the_case_and_complete_the_tpks_task(
        self, make_user, police_agency
    ):
        manager, police = make_user(Role.CASE_MANAGER), make_user(Role.PARTNER_STAFF)
        case = open_case(
            make_user, manager=manager, perpetrator_description="Paman", perpetrator_relationship="keluarga"
        )
        task = case.tasks.get(rule=deadlines.POLICE_REPORT)
        referral = services.referral_accept(actor=police, referral=refer(manager, case, police_agency))
        services.referral_record_action(
            actor=police,
            referral=referral,
            action_type="police_report",
            police_report_number="LP/B/12/XI/2026/SPKT",
            legal_stage="penyidikan",
        )
        task.refresh_from_db()
        assert task.done_at and task.outcome == "reported" and task.done_by == police
        assert "LP/B/12/XI/2026/SPKT" in task.note and police_agency.name in task.note
        perpetrator = case.perpetrators.get()
        assert perpetrator.police_report_number == "LP/B/12/XI/2026/SPKT" and perpetrator.legal_stage == "penyidikan"
        entry = case.legal_track.get()
        assert entry.agency == police_agency and entry.recorded_by == police
        # A later stage moves the perpetrator on and keeps the number; the case page shows both steps, attributed.
        services.referral_record_action(actor=police, referral=referral, action_type="other", legal_stage="penuntutan")
        perpetrator.refresh_from_db()
        assert perpetrator.legal_stage == "penuntutan" and perpetrator.police_report_number == "LP/B/12/XI/2026/SPKT"
        client = Client()
        client.force_login(manager)
        page = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
        assert "laporan polisi LP/B/12/XI/2026/SPKT" in page and f"{police_agency} ({police})" in page
        # At rest the number is ciphertext wherever it is kept (issue 15, item 10).
        with connection.cursor() as cursor:
            for table in (
                "cases_perpetrator",
                "cases_historicalperpetrator",
                "cases_legaltrackentry",
                "referrals_referralupdate",
            ):
                cursor.execute(f"SELECT police_report_number FROM {table} WHERE police_report_number <> ''")  # nosec B608: table names fixed above
                stored = [row[0] for row in cursor.fetchall()]
                assert stored and all(v.startswith("enc1:") and "LP/B" not in v for v in stored), table
        # A message with no number and no stage adds nothing to the legal track.
        services.referral_record_action(actor=police, referral=referral, action_type="other", body="Saksi diperiksa.")
        assert case.legal_track.count() == 2

    def test_only_the_police_give_a_report_number_and_a_stage_never_moves_back(self, make_user, police_agency):
        manager, police = make_user(Role.CASE_MANAGER), make_user(Role.PARTNER_STAFF)
        health = account_services.agency_save(actor=None, name="Puskesmas Uji", kind=AgencyKind.HEALTH)
        nurse = make_user(Role.PARTNER_STAFF, agency=health)
        case = open_case(
            make_user, manager=manager, perpetrator_description="Paman", perpetrator_relationship="keluarga"
        )
        to_health = services.referral_accept(actor=nurse, referral=refer(manager, case, health))
        services.referral_record_action(
            actor=nurse,
            referral=to_health,
            action_type="other",
            police_report_number="LP/KELIRU",
            legal_stage="penyidikan",
        )
        assert not case.legal_track.exists() and case.tasks.get(rule=deadlines.POLICE_REPORT).done_at is None
        to_police = services.referral_accept(actor=police, referral=refer(manager, case, police_agency))
        services.referral_record_action(actor=police, referral=to_police, action_type="other", legal_stage="penuntutan")
        services.referral_record_action(actor=police, referral=to_police, action_type="other", legal_stage="penyidikan")
        assert case.perpetrators.get().legal_stage == "penuntutan"

    def test_decline_needs_a_reason(self, make_user, police_agency):
        manager, police = make_user(Role.CASE_MANAGER), make_user(Role.PARTNER_STAFF)
        referral = refer(manager, open_case(make_user, manager=manager), police_agency)
        with pytest.raises(ValidationError):
            services.referral_decline(actor=police, referral=referral, reason="tidak")
        referral = services.referral_decline(actor=police, referral=referral, reason="Di luar wilayah hukum kami.")
        assert referral.status == ReferralStatus.DECLINED
        with pytest.raises(services.ReferralError):
            services.referral_accept(actor=police, referral=referral)

    def test_revocation_removes_the_partners_access_at_once(self, make_user, police_agency):
        manager, police = make_user(Role.CASE_MANAGER), make_user(Role.PARTNER_STAFF)
        referral = refer(manager, open_case(make_user, manager=manager), police_agency)
        services.referral_accept(actor=police, referral=referral)
        services.referral_revoke(actor=manager, referral=referral, reason="Wali mencabut persetujuan berbagi data.")
        with pytest.raises(Http404):
            selectors.referral_get(actor=police, public_id=referral.public_id)
        with pytest.raises(Http404):
            services.referral_record_action(actor=police, referral=referral, action_type="other", body="x")
        assert not selectors.referral_list(actor=police).exists()


class OverdueTests:
    def test_overdue_referrals_are_notified_once_to_both_sides(self, make_user, police_agency):
        manager, police = make_user(Role.CASE_MANAGER), make_user(Role.PARTNER_STAFF)
        referral = refer(manager, open_case(make_user, manager=manager), police_agency)
        later = referral.due_at + dt.timedelta(minutes=1)
        assert services.referrals_notify_overdue(later) == 1
        assert services.referrals_notify_overdue(later) == 0
        assert Notification.objects.filter(user=manager, message__contains="melewati").count() == 1
        assert Notification.objects.filter(user=police, message__contains="melewati").count() == 1

    def test_response_times_per_agency(self, make_user, police_agency):
        manager, police = make_user(Role.CASE_MANAGER), make_user(Role.PARTNER_STAFF)
        case = open_case(make_user, manager=manager)
        answered = refer(manager, case, police_agency)
        services.referral_accept(actor=police, referral=answered)
        late = refer(manager, case, police_agency)
        Referral.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
        (row,) = selectors.response_times()
        assert row["agency"] == police_agency
        assert (row["total"], row["answered"], row["in_time"], row["open"], row["overdue"]) == (2, 1, 1, 2, 1)


class ReporterStatusTests:
    def test_the_reporter_reads_referred_while_a_partner_works_and_the_change_is_audited(
        self, make_user, police_agency
    ):
        manager, police = make_user(Role.CASE_MANAGER), make_user(Role.PARTNER_STAFF)
        case = open_case(make_user, manager=manager)
        report = case.reports.get()
        referral = refer(manager, case, police_agency)
        report.refresh_from_db()
        assert report.status == ReportStatus.REFERRED
        services.referral_decline(actor=police, referral=referral, reason="Bukan wilayah hukum kami.")
        report.refresh_from_db()
        assert report.status == ReportStatus.IN_CASE  # nobody outside the office works on it now
        changes = AuditEvent.objects.filter(action=AuditAction.REPORT_STATUS_CHANGED, object_id=str(report.public_id))
        # Every status change of the report is audited by its one writer, triage's step into the case included.
        assert [event.extra["to"] for event in changes.order_by("seq")] == [
            ReportStatus.IN_CASE,
            ReportStatus.REFERRED,
            ReportStatus.IN_CASE,
        ]


class ReferralListTests:
    def test_overdue_first_then_waiting_filters_and_25_a_page(self, make_user, police_agency):
        manager = make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=manager)
        sent = [refer(manager, case, police_agency) for _ in range(27)]
        late = sent[5]
        Referral.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
        Referral.objects.filter(pk=sent[6].pk).update(status=ReferralStatus.COMPLETED)
        client = Client()
        client.force_login(manager)
        page = client.get(reverse("referrals:list"))
        rows = list(page.context["referrals"])
        assert len(rows) == 25 and rows[0] == late and page.context["page"].paginator.count == 27
        assert sent[6] not in rows  # finished work comes last, on the next page
        only_late = client.get(reverse("referrals:list"), {"terlambat": "true"})
        assert list(only_late.context["referrals"]) == [late]
        completed = client.get(reverse("referrals:list"), {"status": ReferralStatus.COMPLETED})
        assert list(completed.context["referrals"]) == [Referral.objects.get(pk=sent[6].pk)]


class PartnerNoticeTests:
    @staticmethod
    def received(user, kind) -> list[str]:
        return list(Notification.objects.filter(user=user, kind=kind).values_list("message", flat=True))

    def test_a_partners_step_tells_the_case_manager(self, make_user, police_agency, mailoutbox):
        manager, police = make_user(Role.CASE_MANAGER), make_user(Role.PARTNER_STAFF)
        case = case_with_secrets(make_user, manager)
        referral = refer(manager, case, police_agency)
        services.referral_accept(actor=police, referral=referral)
        assert self.received(manager, NotificationKind.REFERRAL) == [
            f"{police_agency} menerima rujukan untuk kasus {case.registration_number}."
        ]
        assert len(self.received(police, NotificationKind.REFERRAL)) == 1  # the new referral
        texts = "\n".join(Notification.objects.values_list("message", flat=True))
        assert SECRET_NAME not in texts and SECRET_NIK not in texts
