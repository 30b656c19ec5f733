"""The reporter reads that a partner works on the case, with the date, and never which partner."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.cases import services as case_services
from perisai.cases.choices import CaseStatus
from perisai.cases.tests.factories import open_case
from perisai.cases.tests.test_reporter_progress import close
from perisai.referrals import services
from perisai.referrals.tests.helpers import refer
from perisai.reports import selectors
from perisai.reports import services as report_services
from perisai.reports.choices import ReportStatus
from perisai.reports.models import Report

pytestmark = pytest.mark.django_db
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
OPENED = dt.datetime(2026, 12, 8, 9, 0, tzinfo=WIB)
REFERRED = dt.datetime(2026, 12, 9, 10, 15, tzinfo=WIB)
CLOSED = dt.datetime(2027, 2, 3, 14, 0, tzinfo=WIB)
TOKEN = "5b0e5b2e-1d5c-4a55-9a55-0f2a6c1e7a11"


def steps(case):
    progress = selectors.report_progress(report=Report.objects.get(case=case))
    return [(s.key, s.done, s.current, s.at) for s in progress.steps], progress


class ReferredStepTests:
    def test_a_referral_shows_the_partner_step_without_naming_the_partner(self, make_user, police_agency):
        manager = make_user(Role.CASE_MANAGER)
        with time_machine.travel(OPENED, tick=False):
            case = open_case(make_user, manager=manager, harms=["hit"])
        with time_machine.travel(REFERRED, tick=False):
            refer(manager, case, police_agency)
        rows, progress = steps(case)
        assert rows[1:] == [
            ("handled", True, False, OPENED),
            ("referred", True, True, REFERRED),
            ("finished", False, False, None),
        ]
        assert progress.headline == "Laporan Anda sedang ditangani bersama instansi mitra."
        assert police_agency.name not in str(progress)
        assert "namanya tidak ditampilkan" in progress.steps[2].note

    def test_the_status_page_never_names_the_partner(self, client, make_user, police_agency):
        manager = make_user(Role.CASE_MANAGER)
        submission = report_services.report_submit(
            actor=None, fields={"harms": ["hit"], "narrative": "Uji.", "reporter_anonymous": True}, token=TOKEN
        )
        opener = make_user(Role.INTAKE_OFFICER)
        case = case_services.case_open_from_report(
            actor=opener, report=submission.report, risk="tinggi", authority="kota", case_manager=manager
        )
        refer(manager, case, police_agency)
        client.post(reverse("reports_public:check"), {"code": submission.report.tracking_code, "pin": submission.pin})
        page = client.get(reverse("reports_public:status")).content.decode()
        assert "Dirujuk ke mitra" in page and "bersama instansi mitra" in page
        assert police_agency.name not in page and case.registration_number not in page

    def test_when_every_partner_declined_the_step_is_no_longer_shown_done(self, make_user, police_agency):
        manager, police = make_user(Role.CASE_MANAGER), make_user(Role.PARTNER_STAFF)
        case = open_case(make_user, manager=manager, harms=["hit"])
        referral = refer(manager, case, police_agency)
        services.referral_decline(actor=police, referral=referral, reason="Bukan wilayah hukum kami.")
        rows, _progress = steps(case)
        assert rows[2] == ("referred", False, False, None)

    def test_a_case_closed_after_a_referral_finishes_with_the_partner_step_kept(self, make_user, police_agency):
        manager, supervisor = make_user(Role.CASE_MANAGER), make_user(Role.SUPERVISOR)
        case = open_case(make_user, manager=manager, harms=["hit"])
        with time_machine.travel(REFERRED, tick=False):
            refer(manager, case, police_agency)
        case.refresh_from_db()  # the referral recorded the lawful basis on the case
        with time_machine.travel(CLOSED, tick=False):
            case = close(case, manager, supervisor)
        rows, progress = steps(case)
        assert [row[0] for row in rows] == ["received", "handled", "referred", "finished"]
        assert rows[2] == ("referred", True, False, REFERRED) and rows[3] == ("finished", True, True, CLOSED)
        assert progress.finished
        # Reopened, it goes back to the partner's step it was at.
        case_services.case_transition(actor=supervisor, case=case, to=CaseStatus.SERVICE, version=case.version)
        assert Report.objects.get(case=case).status == ReportStatus.REFERRED
