"""What a reporter reads of their report's progress before any case exists: received, being checked, closed by
triage, merged into another report. Later steps (a case, a partner, the case's closing) are tested in cases and
referrals, where those exist."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.reports import selectors, services
from perisai.reports.choices import ReportStatus
from perisai.reports.progress import CLOSED_WITHOUT_CASE
from perisai.reports.tests.helpers import open_report, submitted

pytestmark = pytest.mark.django_db
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
SENT = dt.datetime(2026, 12, 7, 22, 30, tzinfo=WIB)
OPENED = dt.datetime(2026, 12, 8, 7, 45, tzinfo=WIB)


def steps(report):
    report.refresh_from_db()
    progress = selectors.report_progress(report=report)
    return [(step.key, step.done, step.current, step.at) for step in progress.steps], progress


class ProgressTests:
    def test_a_new_report_is_received_and_the_next_steps_wait(self):
        with time_machine.travel(SENT, tick=False):
            report = submitted().report
        rows, progress = steps(report)
        assert rows == [
            ("received", True, True, SENT),
            ("handled", False, False, None),
            ("referred", False, False, None),
            ("finished", False, False, None),
        ]
        assert progress.headline == "Laporan Anda sudah diterima." and not progress.finished
        # The partner step is shown as "if needed", never as a promise that one will come.
        assert "Bila diperlukan" in progress.steps[2].note

    def test_an_officer_opening_it_starts_the_handling_with_that_date(self, make_user):
        with time_machine.travel(SENT, tick=False):
            report = submitted().report
        with time_machine.travel(OPENED, tick=False):
            services.report_mark_in_review(actor=make_user(Role.INTAKE_OFFICER), report=report)
        rows, progress = steps(report)
        assert rows[:2] == [("received", True, False, SENT), ("handled", True, True, OPENED)]
        assert progress.headline == "Laporan Anda sedang diperiksa oleh petugas."

    def test_a_report_closed_by_triage_reads_true_and_kind_and_never_the_reason(self, client, make_user):
        submission = submitted()
        officer = make_user(Role.SUPERVISOR)
        closed_at = dt.datetime(2026, 12, 9, 10, 0, tzinfo=WIB)
        with time_machine.travel(closed_at, tick=False):
            services.report_close(actor=officer, report=submission.report, reason="Pelapor iseng, bukan anak.")
        rows, progress = steps(submission.report)
        # No case, so no partner: the step is left out of a finished story.
        assert rows == [
            ("received", True, False, submission.report.received_at),
            ("handled", True, False, closed_at),
            ("finished", True, True, closed_at),
        ]
        assert progress.finished and progress.headline == str(CLOSED_WITHOUT_CASE)
        open_report(client, submission)
        page = client.get(reverse("reports_public:status")).content.decode()
        assert "tidak dilanjutkan sebagai kasus" in page and "iseng" not in page

    def test_a_merged_report_is_being_checked_and_says_nothing_of_the_other(self, client, make_user):
        first, second = submitted(), submitted(narrative="Anak tetangga dipukul lagi tadi malam.")
        services.report_merge(actor=make_user(Role.SUPERVISOR), report=second.report, into=first.report)
        second.report.refresh_from_db()
        assert second.report.status == ReportStatus.IN_REVIEW
        open_report(client, second)
        page = client.get(reverse("reports_public:status")).content.decode()
        assert "sedang diperiksa oleh petugas" in page
        assert first.report.tracking_code not in page and "digabung" not in page.lower()

    def test_the_status_page_shows_the_steps_and_the_officers_messages(self, client, make_user):
        with time_machine.travel(SENT, tick=False):
            submission = submitted()
        officer = make_user(Role.INTAKE_OFFICER)
        with time_machine.travel(OPENED, tick=False):
            services.report_mark_in_review(actor=officer, report=submission.report)
            services.report_message_from_staff(actor=officer, report=submission.report, body="Di RT berapa?")
            open_report(client, submission)
            page = client.get(reverse("reports_public:status")).content.decode()
        for text in ("Diterima", "Ditangani petugas", "Dirujuk ke mitra", "Selesai", "tahap sekarang"):
            assert text in page
        assert "7 Desember 2026, 22.30 WIB" in page and "8 Desember 2026, 07.45 WIB" in page
        assert 'aria-current="step"' in page and "Di RT berapa?" in page
        progress = selectors.report_progress(report=submission.report)
        assert [(m.from_reporter, m.body) for m in progress.officer_messages] == [(False, "Di RT berapa?")]
