"""A report's status has one writer, reports.services.report_transition, which follows choices.TRANSITIONS. Here
and not in reports: the statuses "in a case" and "referred" need a case (tests stand in the layer of what they use)."""

from __future__ import annotations

import itertools

import pytest

from perisai.accounts.choices import Role
from perisai.audit.choices import AuditAction
from perisai.audit.models import AuditEvent
from perisai.cases.tests.factories import open_case, report
from perisai.reports import services
from perisai.reports.choices import TRANSITIONS, ReportStatus
from perisai.reports.models import Report

pytestmark = pytest.mark.django_db


class ReportTransitionTests:
    def test_every_pair_of_statuses_follows_the_table_and_is_audited(self, make_user):
        officer = make_user(Role.INTAKE_OFFICER)
        case = open_case(make_user, opener=officer)
        for frm, to in itertools.product(ReportStatus.values, ReportStatus.values):
            item = report()
            # Set up the starting state directly: this test is about the table, not how a report got there. A closed
            # report here is one whose case closed (a report closed by triage never goes back: tested below).
            in_a_case = frm in ("in_case", "referred", "closed")
            Report.objects.filter(pk=item.pk).update(status=frm, case=case if in_a_case else None)
            before = AuditEvent.objects.filter(action=AuditAction.REPORT_STATUS_CHANGED).count()
            if to in TRANSITIONS[frm]:
                moved = services.report_transition(actor=officer, report=item, to=to, case=case, reason="Uji.")
                assert moved.status == to, (frm, to)
                assert Report.objects.get(pk=item.pk).status == to
                event = AuditEvent.objects.filter(action=AuditAction.REPORT_STATUS_CHANGED).first()
                assert event.extra == {"from": frm, "to": to} and event.object_id == str(item.public_id)
            else:
                with pytest.raises(services.InvalidTransition):
                    services.report_transition(actor=officer, report=item, to=to, case=case)
                assert Report.objects.get(pk=item.pk).status == frm, (frm, to)
                assert AuditEvent.objects.filter(action=AuditAction.REPORT_STATUS_CHANGED).count() == before

    def test_a_report_in_a_case_needs_the_case_and_keeps_it(self, make_user):
        officer = make_user(Role.INTAKE_OFFICER)
        with pytest.raises(services.InvalidTransition):
            services.report_transition(actor=officer, report=report(), to=ReportStatus.IN_CASE)
        first, second = open_case(make_user, opener=officer), open_case(make_user, opener=officer)
        joined = first.reports.get()
        with pytest.raises(services.InvalidTransition):
            Report.objects.filter(pk=joined.pk).update(status=ReportStatus.REFERRED)
            services.report_transition(actor=officer, report=joined, to=ReportStatus.IN_CASE, case=second)
        assert Report.objects.get(pk=joined.pk).case_id == first.pk

    def test_closing_keeps_the_reason_and_the_reporter_reads_only_that_handling_finished(self, make_user):
        officer = make_user(Role.INTAKE_OFFICER)
        item = services.report_transition(
            actor=officer, report=report(), to=ReportStatus.CLOSED, reason="  Dilimpahkan ke Polres.  "
        )
        assert item.closing_reason == "Dilimpahkan ke Polres."

    def test_a_report_closed_by_triage_never_goes_back_into_a_case(self, make_user):
        officer = make_user(Role.INTAKE_OFFICER)
        item = services.report_transition(actor=officer, report=report(), to=ReportStatus.CLOSED, reason="Bukan anak.")
        case = open_case(make_user, opener=officer)
        for to in (ReportStatus.IN_CASE, ReportStatus.REFERRED):
            with pytest.raises(services.InvalidTransition):
                services.report_transition(actor=officer, report=item, to=to, case=case)
        assert Report.objects.get(pk=item.pk).status == ReportStatus.CLOSED
