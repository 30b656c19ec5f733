"""Old cases typed in later ("dicatat belakangan"): they keep the day the office received them, their registration
number follows that day, and no deadline task is born overdue. When Perisai stored them stays in the audit trail."""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from perisai.accounts.choices import Role
from perisai.accounts.testing import assert_access, matrix_users
from perisai.audit.choices import AuditAction
from perisai.audit.models import AuditEvent
from perisai.cases import deadlines, services
from perisai.cases.models import Case
from perisai.cases.tests.factories import open_case
from perisai.reports import services as report_services
from perisai.reports.models import Report

pytestmark = pytest.mark.django_db

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
MARCH_2024 = dt.datetime(2024, 3, 10, 9, 30, tzinfo=JAKARTA)

INTAKE = {
    "channel": "walk_in",
    "urgent": "no",
    "harms": ["touched"],
    "narrative": "Anak diraba tetangga, dicatat dari buku register 2024.",
    "kecamatan": "",
    "location_detail": "Dekat masjid",
    "reporter_anonymous": "yes",
    "child_name": "Anak Lama",
    "child_age": "10",
    "child_sex": "p",
}


def _intake(client, officer, **extra):
    client.force_login(officer)
    data = {**INTAKE, "token": str(uuid.uuid4()), **extra}
    return client.post(reverse("reports:intake"), data)


def _old_report(received_at, **fields):
    base = {
        "urgent": False,
        "harms": ["touched"],
        "narrative": "Cerita lama.",
        "reporter_anonymous": True,
        "child_name": "Anak Lama",
        "child_age": 10,
        "child_sex": "p",
    }
    return report_services.report_submit(
        actor=None,
        fields={**base, **fields},
        token=str(uuid.uuid4()),
        received_at=received_at,
        entered_after_fact=True,
    ).report


class IntakeTests:
    def test_a_date_weeks_back_must_be_confirmed_as_an_old_report_and_nothing_typed_is_lost(self, client, make_user):
        response = _intake(client, make_user(Role.INTAKE_OFFICER), received_at="2024-03-10T09:30")
        assert response.status_code == 400
        form = response.context["form"]
        assert "lebih dari 7 hari" in form.errors["entered_after_fact"][0]
        page = response.content.decode()
        assert "Anak diraba tetangga" in page and "Dekat masjid" in page
        assert not Report.objects.exists()

    def test_the_box_is_refused_for_a_recent_report(self, client, make_user):
        """It would turn real lateness (the UU TPKS police report included) into "not applicable"."""
        recent = (timezone.localtime() - dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
        response = _intake(client, make_user(Role.INTAKE_OFFICER), received_at=recent, entered_after_fact="on")
        assert response.status_code == 400
        assert "lebih dari 7 hari" in response.context["form"].errors["entered_after_fact"][0]

    def test_a_date_in_the_future_is_refused(self, client, make_user):
        later = timezone.localtime() + dt.timedelta(days=2)
        response = _intake(client, make_user(Role.INTAKE_OFFICER), received_at=later.strftime("%Y-%m-%dT%H:%M"))
        assert response.status_code == 400
        assert "masa depan" in response.context["form"].errors["received_at"][0]

    def test_an_old_report_is_not_late_and_raises_no_urgent_alert(self, client, make_user, mailoutbox):
        officer = make_user(Role.INTAKE_OFFICER)
        make_user(Role.SUPERVISOR)
        response = _intake(
            client, officer, received_at="2024-03-10T09:30", entered_after_fact="on", urgent="yes", kecamatan=""
        )
        assert response.status_code == 302
        report = Report.objects.get()
        assert report.entered_after_fact and report.received_at == MARCH_2024
        assert not report.first_contact_overdue
        assert report.urgent and not mailoutbox
        received = AuditEvent.objects.get(action=AuditAction.REPORT_RECEIVED)
        assert received.extra["entered_after_fact"] is True
        assert received.occurred_at > MARCH_2024 + dt.timedelta(days=365)  # when Perisai stored it


class TriageTests:
    def test_the_case_is_registered_on_the_day_received_and_no_task_is_born_overdue(self, make_user):
        officer = make_user(Role.INTAKE_OFFICER)
        report = _old_report(MARCH_2024)
        case = services.case_open_from_report(actor=officer, report=report, risk="tinggi", authority="kota")
        assert case.opened_at == MARCH_2024 and case.entered_after_fact
        assert case.year == 2024 and "/III/2024" in case.registration_number
        tasks = list(case.tasks.all())
        assert {task.rule for task in tasks} == {"first_contact", deadlines.POLICE_REPORT, "assessment", "plan"}
        for task in tasks:
            assert task.done_at and task.outcome == deadlines.NOT_APPLICABLE, task.rule
            assert task.outcome_label.startswith("Tidak berlaku")
        opened = AuditEvent.objects.get(action=AuditAction.CASE_OPENED)
        assert opened.extra["entered_after_fact"] is True
        assert dt.datetime.fromisoformat(opened.extra["report_date"]) == MARCH_2024
        assert opened.occurred_at > timezone.now() - dt.timedelta(minutes=5)

    def test_deadlines_still_ahead_stay_open_with_their_real_due_date(self, make_user):
        received = timezone.now() - dt.timedelta(days=2)
        case = services.case_open_from_report(
            actor=make_user(Role.INTAKE_OFFICER), report=_old_report(received), risk="tinggi", authority="kota"
        )
        skipped = set(case.tasks.filter(outcome=deadlines.NOT_APPLICABLE).values_list("rule", flat=True))
        assert skipped == {"first_contact"}  # 2 hours for a high risk; the others run for days yet
        plan = case.tasks.get(rule="plan")
        assert plan.done_at is None and plan.due_at == received + dt.timedelta(days=14)

    def test_two_old_years_number_on_from_that_years_counter(self, make_user):
        officer = make_user(Role.INTAKE_OFFICER)
        first, second = (
            services.case_open_from_report(actor=officer, report=_old_report(day), risk="sedang", authority="kota")
            for day in (MARCH_2024, MARCH_2024 + dt.timedelta(days=40))
        )
        assert (first.year, first.sequence, second.sequence) == (2024, 1, 2)
        assert "/IV/2024" in second.registration_number
        today = open_case(make_user)
        assert today.year == timezone.localtime().year and today.sequence == 1 and not today.entered_after_fact


class CaseLevelTests:
    def test_a_supervisor_moves_a_case_typed_in_late_to_its_real_date(self, make_user):
        supervisor = make_user(Role.SUPERVISOR)
        case = open_case(make_user, harms=["touched"])
        old_number = case.registration_number
        case.tasks.update(due_at=timezone.now() - dt.timedelta(hours=1))  # as if received long ago
        moved = services.case_mark_entered_after_fact(
            actor=supervisor, case=case, reported_at=MARCH_2024, version=case.version
        )
        assert moved.opened_at == MARCH_2024 and moved.entered_after_fact
        assert moved.year == 2024 and "/III/2024" in moved.registration_number
        assert not moved.tasks.filter(done_at__isnull=True).exists()
        assert set(moved.tasks.values_list("outcome", flat=True)) == {deadlines.NOT_APPLICABLE}
        event = AuditEvent.objects.filter(action=AuditAction.CASE_UPDATED).latest("pk")
        assert event.extra["previous_number"] == old_number and event.extra["tasks_not_applicable"] == 4

    @pytest.mark.parametrize(
        ("when", "message"),
        [
            ("tomorrow", "masa depan"),  # computed in the test: the clock may be frozen (PERISAI_TEST_NOW)
            ("2020", "sebelum tanggal kejadian"),
        ],
    )
    def test_impossible_dates_are_refused_next_to_the_field(self, client, make_user, when, message):
        reported_at = (
            timezone.now() + dt.timedelta(days=1) if when == "tomorrow" else dt.datetime(2020, 1, 5, tzinfo=JAKARTA)
        )
        supervisor = make_user(Role.SUPERVISOR)
        case = open_case(make_user, incident_date=dt.date(2021, 6, 1))
        client.force_login(supervisor)
        local = timezone.localtime(reported_at).strftime("%Y-%m-%dT%H:%M")
        response = client.post(
            reverse("cases:entered_after_fact", args=[case.public_id]),
            {"reported_at": local, "version": case.version},
        )
        assert response.status_code == 400
        assert message in response.context["backdate_form"].errors["reported_at"][0]
        assert local in response.content.decode()  # what was typed is shown back
        assert Case.objects.get(pk=case.pk).opened_at == case.opened_at

    def test_only_a_supervisor_of_the_case_may_do_it(self, make_user):
        case = open_case(make_user, manager=make_user(Role.CASE_MANAGER))

        def data():
            return {"reported_at": "2024-03-10T09:30", "version": Case.objects.get(pk=case.pk).version}

        assert_access(
            reverse("cases:entered_after_fact", args=[case.public_id]),
            users=matrix_users(make_user),
            allowed={Role.SUPERVISOR},
            method="post",
            data=data,
            ok_status=(302,),
            audit_action=AuditAction.CASE_UPDATED,
        )


def test_a_resend_of_an_old_or_staff_reports_token_never_shows_its_pin(make_user):
    token = str(uuid.uuid4())
    fields = {"urgent": False, "harms": ["hit"], "narrative": "Lama.", "reporter_anonymous": True}
    old = report_services.report_submit(
        actor=make_user(Role.INTAKE_OFFICER), fields=fields, token=token, received_at=MARCH_2024,
        entered_after_fact=True, channel="letter",
    )  # fmt: skip
    assert old.pin  # the officer hands it to the reporter once
    again = report_services.report_submit(actor=None, fields=fields, token=token)
    assert again.report == old.report and again.pin is None and not again.created
