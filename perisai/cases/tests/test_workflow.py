import itertools
import json

import pytest
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.audit.choices import AuditAction
from perisai.audit.models import AuditEvent
from perisai.cases import plan, services
from perisai.cases.choices import TRANSITIONS, ApprovalDecision, ApprovalKind, CaseStatus
from perisai.cases.models import Case, CaseApproval
from perisai.cases.policies import case_policy
from perisai.cases.tests.factories import ALL_TICKED, open_case, plan_item, report
from perisai.reports import services as report_services
from perisai.reports.choices import PUBLIC_STATUS, ReportStatus

pytestmark = pytest.mark.django_db


class TransitionTableTests:
    @pytest.mark.parametrize("role", [r for r in Role.values])
    def test_every_pair_of_states_for_every_role(self, make_user, role):
        actor = make_user(role)
        for frm, to in itertools.product(CaseStatus.values, CaseStatus.values):
            case = open_case(make_user, manager=actor if role in (Role.CASE_MANAGER, Role.SUPERVISOR) else None)
            Case.objects.filter(pk=case.pk).update(status=frm)
            case.refresh_from_db()
            rule = TRANSITIONS.get((frm, to))
            expected = rule is not None and role in rule.roles and rule.needs_approval is None
            assert case_policy.may_transition(actor, case, to) == expected, (role, frm, to)
            if rule is not None and rule.needs_approval and role in rule.roles:
                # A plan is approved as it stands (its snapshot); the transition checks the plan has not moved since.
                CaseApproval.objects.create(
                    case=case,
                    kind=rule.needs_approval,
                    requested_by=actor,
                    decision=ApprovalDecision.APPROVED,
                    plan_snapshot=json.dumps(plan.plan_snapshot(case)),
                )
                assert case_policy.may_transition(actor, case, to), (role, frm, to, "after approval")


class WorkflowTests:
    def test_from_report_to_closure_with_the_supervisors_approvals(self, make_user):
        manager, supervisor = make_user(Role.CASE_MANAGER), make_user(Role.SUPERVISOR)
        case = open_case(make_user, manager=manager)
        case = services.case_transition(actor=manager, case=case, to=CaseStatus.ASSESSMENT, version=case.version)
        case = services.case_transition(actor=manager, case=case, to=CaseStatus.PLAN, version=case.version)
        with pytest.raises(services.WorkflowError):
            services.case_transition(actor=manager, case=case, to=CaseStatus.SERVICE, version=case.version)
        plan_item(manager, case)
        plan = services.approval_request(actor=manager, case=case, kind=ApprovalKind.PLAN, note="Psikolog, visum.")
        services.approval_decide(actor=supervisor, approval=plan, approve=True, comment="Setuju.")
        case = services.case_transition(actor=manager, case=case, to=CaseStatus.SERVICE, version=case.version)
        closure = services.approval_request(actor=manager, case=case, kind=ApprovalKind.CLOSURE, checklist=ALL_TICKED)
        with pytest.raises(Exception, match="alasan"):
            services.approval_decide(actor=supervisor, approval=closure, approve=False)
        services.approval_decide(actor=supervisor, approval=closure, approve=False, comment="Visum belum ada.")
        closure = services.approval_request(actor=manager, case=case, kind=ApprovalKind.CLOSURE, checklist=ALL_TICKED)
        services.approval_decide(actor=supervisor, approval=closure, approve=True)
        with pytest.raises(services.WorkflowError, match="lapor polisi"):  # UU TPKS Pasal 41 comes first
            services.case_transition(actor=manager, case=case, to=CaseStatus.CLOSED, version=case.version)
        police = case.tasks.get(rule="tpks_police_report")
        services.task_complete(actor=manager, task=police, outcome="reported", note="LP/1/XI/2026")
        case = services.case_transition(actor=manager, case=case, to=CaseStatus.CLOSED, version=case.version)
        assert not case.tasks.filter(done_at__isnull=True).exists()  # the rest closed with the case
        assert case.status == CaseStatus.CLOSED and case.closed_at
        steps = list(
            AuditEvent.objects.filter(object_id=str(case.public_id), action=AuditAction.CASE_TRANSITIONED)
            .order_by("seq")
            .values_list("extra__to", flat=True)
        )
        assert steps == ["asesmen", "rencana", "layanan", "terminasi"]

    def test_a_supervisor_cannot_approve_their_own_request(self, make_user):
        supervisor = make_user(Role.SUPERVISOR)
        case = open_case(make_user, manager=supervisor)
        Case.objects.filter(pk=case.pk).update(status=CaseStatus.PLAN)
        case.refresh_from_db()
        plan_item(supervisor, case)
        plan = services.approval_request(actor=supervisor, case=case, kind=ApprovalKind.PLAN)
        with pytest.raises(services.WorkflowError):
            services.approval_decide(actor=supervisor, approval=plan, approve=True)

    def test_a_stale_edit_is_refused_and_nothing_changes(self, client, make_user):
        manager = make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=manager)
        stale = case.version
        services.case_transition(actor=manager, case=case, to=CaseStatus.ASSESSMENT, version=stale)
        client.force_login(manager)
        response = client.post(
            reverse("cases:transition", args=[case.public_id]), {"to": CaseStatus.PLAN, "version": stale}
        )
        assert response.status_code == 409
        assert "baru saja diubah oleh orang lain" in response.content.decode()
        case.refresh_from_db()
        assert case.status == CaseStatus.ASSESSMENT


class TriageTests:
    def test_a_report_becomes_a_case_with_a_registration_number(self, make_user):
        officer = make_user(Role.INTAKE_OFFICER)
        item = report(child_name="Melati")
        case = services.case_open_from_report(actor=officer, report=item, risk="tinggi", authority="kota")
        item.refresh_from_db()
        assert item.case == case and item.status == ReportStatus.IN_CASE
        assert case.victims.get().name == "Melati"
        assert case.registration_number.startswith("001/UPTD-PPA/")
        assert PUBLIC_STATUS[item.status] == "Laporan Anda sedang ditangani."

    def test_a_report_is_closed_with_a_reason_and_the_reporter_sees_a_neutral_status(self, make_user):
        item = report()
        report_services.report_close(
            actor=make_user(Role.INTAKE_OFFICER), report=item, reason="Bukan anak.", handed_over=False
        )
        item.refresh_from_db()
        assert item.status == ReportStatus.CLOSED and item.closing_reason == "Bukan anak."
        with pytest.raises(report_services.AlreadyTriaged):
            report_services.report_close(actor=make_user(Role.INTAKE_OFFICER), report=item, reason="lagi")

    def test_possible_duplicates_explain_why_they_match(self, client, make_user):
        officer = make_user(Role.INTAKE_OFFICER)
        open_case(make_user, opener=officer, child_name="Muhammad Rizki")
        client.force_login(officer)
        second = report(child_name="M. Rizki")
        page = client.get(reverse("cases:triage", args=[second.public_id])).content.decode()
        assert "nama anak sama" in page
        client.post(
            reverse("cases:triage", args=[second.public_id]),
            {"decision": "attach", "case": str(Case.objects.get().public_id)},
        )
        second.refresh_from_db()
        assert second.case == Case.objects.get()


class CaseListFilterTests:
    def test_filters_and_exact_search_by_name_nik_or_number(self, client, make_user):
        supervisor = make_user(Role.SUPERVISOR)
        sexual = open_case(make_user, harms=["touched"], child_name="Muhammad Rizki", kecamatan=None)
        physical = open_case(make_user, harms=["hit"], child_name="Siti Aminah")
        victim = physical.victims.get()
        victim.nik = "3672014505120001"
        victim.save()
        client.force_login(supervisor)

        def listed(**params):
            response = client.get(reverse("cases:list"), {"semua": "1", **params})
            return {case.pk for case in response.context["cases"]}

        assert listed(violence="seksual") == {sexual.pk}
        assert listed(q="moh. rizki") == {sexual.pk}  # name variants fold together
        assert listed(q="Rizki") == set()  # exact only: no substring search in encrypted names
        assert listed(q="3672 0145 0512 0001") == {physical.pk}
        assert listed(q=physical.registration_number[:3]) == {physical.pk}
        assert listed(status="baru") == {sexual.pk, physical.pk}
        assert listed(overdue="true") == set()
