"""The reporter's steps while the office works on the case: a case opened from the report (being handled), the
case closed (finished) and reopened; and the data migration that dates the steps of reports that already exist."""

import datetime as dt
import importlib
import zoneinfo

import pytest
import time_machine
from django.apps import apps

from perisai.accounts.choices import Role
from perisai.cases import services
from perisai.cases.choices import ApprovalKind, CaseStatus
from perisai.cases.models import Case
from perisai.cases.tests.factories import ALL_TICKED, open_case, plan_item, report
from perisai.reports import selectors
from perisai.reports.choices import ReportStatus
from perisai.reports.models import Report

pytestmark = pytest.mark.django_db
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
OPENED = dt.datetime(2026, 12, 8, 9, 0, tzinfo=WIB)
CLOSED = dt.datetime(2027, 2, 3, 14, 0, tzinfo=WIB)
REOPENED = dt.datetime(2027, 2, 10, 8, 0, tzinfo=WIB)


def close(case: Case, manager, supervisor) -> Case:
    """The real way to the closing: assessment, an approved plan, services, an approved closure."""
    for to in (CaseStatus.ASSESSMENT, CaseStatus.PLAN):
        case = services.case_transition(actor=manager, case=case, to=to, version=case.version)
    plan_item(manager, case)
    approval = services.approval_request(actor=manager, case=case, kind=ApprovalKind.PLAN, note="Psikolog.")
    services.approval_decide(actor=supervisor, approval=approval, approve=True, comment="Setuju.")
    case = services.case_transition(actor=manager, case=case, to=CaseStatus.SERVICE, version=case.version)
    closure = services.approval_request(actor=manager, case=case, kind=ApprovalKind.CLOSURE, checklist=ALL_TICKED)
    services.approval_decide(actor=supervisor, approval=closure, approve=True)
    return services.case_transition(actor=manager, case=case, to=CaseStatus.CLOSED, version=case.version)


def progress_of(case: Case):
    return selectors.report_progress(report=Report.objects.get(case=case))


class CaseProgressTests:
    def test_opening_a_case_from_the_report_shows_it_being_handled(self, make_user):
        with time_machine.travel(OPENED, tick=False):
            case = open_case(make_user, harms=["hit"])
        progress = progress_of(case)
        assert [(s.key, s.done, s.current) for s in progress.steps] == [
            ("received", True, False),
            ("handled", True, True),
            ("referred", False, False),
            ("finished", False, False),
        ]
        assert progress.steps[1].at == OPENED
        assert progress.headline == "Laporan Anda sedang ditangani."

    def test_closing_the_case_finishes_every_report_of_it_and_reopening_takes_it_back(self, make_user):
        manager, supervisor = make_user(Role.CASE_MANAGER), make_user(Role.SUPERVISOR)
        with time_machine.travel(OPENED, tick=False):
            case = open_case(make_user, manager=manager, harms=["hit"])
            attached = report(harms=["hit"])
            services.report_attach_to_case(actor=supervisor, report=attached, case=case)
        with time_machine.travel(CLOSED, tick=False):
            case = close(case, manager, supervisor)
        for item in Report.objects.filter(case=case):
            assert (item.status, item.finished_at, item.closing_reason) == (ReportStatus.CLOSED, CLOSED, "")
        progress = selectors.report_progress(report=Report.objects.get(pk=attached.pk))
        # Never referred: a finished story without the partner step.
        assert [(s.key, s.done, s.current, s.at) for s in progress.steps] == [
            ("received", True, False, attached.received_at),
            ("handled", True, False, OPENED),
            ("finished", True, True, CLOSED),
        ]
        assert progress.headline == "Penanganan laporan ini sudah selesai. Terima kasih sudah melapor."
        with time_machine.travel(REOPENED, tick=False):
            services.case_transition(actor=supervisor, case=case, to=CaseStatus.SERVICE, version=case.version)
        for item in Report.objects.filter(case=case):
            assert (item.status, item.finished_at) == (ReportStatus.IN_CASE, None)


def backfill():
    module = importlib.import_module("perisai.reports.migrations.0007_progress_steps_backfill")
    module.backfill(apps, None)


class BackfillMigrationTests:
    def test_existing_reports_get_their_dates_and_those_of_closed_cases_finish(self, make_user):
        manager = make_user(Role.CASE_MANAGER)
        with time_machine.travel(OPENED, tick=False):
            open_one = open_case(make_user, manager=manager, harms=["hit"])
            closed_one = open_case(make_user, manager=manager, harms=["hit"])
            waiting = report()
        # As before this change: closing a case left its report "in a case", and no step had a date.
        Case.objects.filter(pk=closed_one.pk).update(status=CaseStatus.CLOSED, closed_at=CLOSED)
        Report.objects.filter(case=closed_one).update(status=ReportStatus.IN_CASE)
        Report.objects.update(handled_at=None, referred_at=None, finished_at=None)
        backfill()
        still = Report.objects.get(case=open_one)
        assert (still.status, still.handled_at, still.finished_at) == (ReportStatus.IN_CASE, OPENED, None)
        done = Report.objects.get(case=closed_one)
        assert (done.status, done.handled_at, done.finished_at) == (ReportStatus.CLOSED, OPENED, CLOSED)
        waiting.refresh_from_db()
        assert (waiting.status, waiting.handled_at) == (ReportStatus.NEW, None)
        backfill()  # running it again changes nothing
        assert Report.objects.get(case=closed_one).finished_at == CLOSED
