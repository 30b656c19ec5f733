"""Notices that reach people: every kind goes to the right people, once, in the app and by e-mail after commit
(unless they chose the app only), and no text or e-mail carries a child's name, NIK or address."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from perisai.accounts.choices import Role
from perisai.accounts.testing import EVERY_SIGNED_IN, assert_access, matrix_users
from perisai.cases import notices, services
from perisai.cases.models import Case
from perisai.cases.tests.factories import open_case, plan_item, report
from perisai.core.choices import NotificationKind
from perisai.core.models import Notification
from perisai.core.notifications import email_preferences_save
from perisai.core.tasks import send_notification_email

pytestmark = pytest.mark.django_db

SECRET_NAME = "Siti Rahmawati Zulaikha"
SECRET_ADDRESS = "Jalan Kenari Gang Tujuh nomor 13"
SECRET_NIK = "3672014107150003"


def case_with_secrets(make_user, manager):
    """A case whose child has a name, NIK and address we can search every notice and e-mail for."""
    case = open_case(make_user, manager=manager, child_name=SECRET_NAME)
    services.victim_save(
        actor=manager,
        case=case,
        version=case.version,
        victim=case.victims.get(),
        address=SECRET_ADDRESS,
        nik=SECRET_NIK,
    )
    case.refresh_from_db()
    return case


def received(user, kind) -> list[str]:
    return list(Notification.objects.filter(user=user, kind=kind).values_list("message", flat=True))


def mailed(mailoutbox) -> str:
    """Run the queued e-mail tasks as the worker would, and return every e-mail sent."""
    for result in DBTaskResult.objects.filter(task_path="perisai.core.tasks.send_notification_email"):
        send_notification_email.call(*result.args_kwargs["args"])
    return "\n".join(f"{mail.to} {mail.subject}\n{mail.body}" for mail in mailoutbox)


def assert_no_identity(text: str) -> None:
    for secret in (SECRET_NAME, SECRET_NIK, SECRET_ADDRESS, "Siti"):
        assert secret not in text


class ApprovalNoticeTests:
    def test_a_plan_waiting_tells_every_supervisor_once_and_the_decision_tells_the_case_manager(
        self, make_user, mailoutbox, django_capture_on_commit_callbacks
    ):
        manager = make_user(Role.CASE_MANAGER)
        first, second, intake = make_user(Role.SUPERVISOR), make_user(Role.SUPERVISOR), make_user(Role.INTAKE_OFFICER)
        case = case_with_secrets(make_user, manager)
        Case.objects.filter(pk=case.pk).update(status="rencana")
        case.refresh_from_db()
        plan_item(manager, case)
        with django_capture_on_commit_callbacks(execute=True):
            approval = services.approval_request(actor=manager, case=case, kind="plan", note=f"Untuk {SECRET_NAME}")
        for supervisor in (first, second):
            assert received(supervisor, NotificationKind.APPROVAL) == [
                f"Rencana intervensi kasus {case.registration_number} menunggu persetujuan Anda."
            ]
        assert received(manager, NotificationKind.APPROVAL) == [] and received(intake, NotificationKind.APPROVAL) == []
        with django_capture_on_commit_callbacks(execute=True):
            services.approval_decide(actor=first, approval=approval, approve=False, comment="Lengkapi jadwal visum.")
        assert received(manager, NotificationKind.APPROVAL) == [
            f"Rencana intervensi kasus {case.registration_number} dikembalikan untuk diperbaiki."
        ]
        assert len(received(first, NotificationKind.APPROVAL)) == 1  # not told of their own decision
        mail = mailed(mailoutbox)
        assert len(mailoutbox) == 3 and case.registration_number in mail and "http://" in mail
        assert_no_identity(mail)

    def test_a_supervisor_who_chose_the_app_only_gets_no_email(
        self, make_user, mailoutbox, django_capture_on_commit_callbacks
    ):
        manager, supervisor = make_user(Role.CASE_MANAGER), make_user(Role.SUPERVISOR)
        email_preferences_save(actor=supervisor, by_email=[NotificationKind.URGENT_REPORT])
        case = open_case(make_user, manager=manager)
        Case.objects.filter(pk=case.pk).update(status="rencana")
        case.refresh_from_db()
        plan_item(manager, case)
        with django_capture_on_commit_callbacks(execute=True):
            services.approval_request(actor=manager, case=case, kind="plan")
        assert len(received(supervisor, NotificationKind.APPROVAL)) == 1
        assert mailed(mailoutbox) == ""

    def test_a_restricted_case_tells_only_the_supervisors_who_may_open_it(self, make_user):
        supervisor_in_team, outsider = make_user(Role.SUPERVISOR), make_user(Role.SUPERVISOR)
        manager = make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=manager)
        services.team_add(actor=supervisor_in_team, case=case, user=supervisor_in_team, team_role="lainnya")
        Case.objects.filter(pk=case.pk).update(status="rencana", restricted=True)
        case.refresh_from_db()
        plan_item(manager, case)
        services.approval_request(actor=manager, case=case, kind="plan")
        assert len(received(supervisor_in_team, NotificationKind.APPROVAL)) == 1
        assert received(outsider, NotificationKind.APPROVAL) == []


class UrgentReportNoticeTests:
    def test_an_urgent_public_report_alerts_every_intake_officer_and_supervisor_at_once(
        self, make_user, mailoutbox, django_capture_on_commit_callbacks
    ):
        officers = [make_user(Role.INTAKE_OFFICER), make_user(Role.INTAKE_OFFICER)]
        supervisor, manager, partner = (
            make_user(Role.SUPERVISOR),
            make_user(Role.CASE_MANAGER),
            make_user(Role.PARTNER_STAFF),
        )
        with django_capture_on_commit_callbacks(execute=True):
            item = report(urgent=True, child_name=SECRET_NAME, location_detail=SECRET_ADDRESS)
            report(urgent=False)
        for person in (*officers, supervisor):
            assert received(person, NotificationKind.URGENT_REPORT) == [
                f"DARURAT: laporan {item.tracking_code} menyatakan anak dalam bahaya sekarang. Segera tindak lanjuti."
            ]
        assert Notification.objects.filter(user__in=[manager, partner]).count() == 0
        mail = mailed(mailoutbox)
        assert len(mailoutbox) == 3
        assert_no_identity(mail)


class TaskNoticeTests:
    def test_each_owner_hears_once_when_due_within_a_day_and_once_when_late(
        self, make_user, mailoutbox, django_capture_on_commit_callbacks
    ):
        manager = make_user(Role.CASE_MANAGER)
        case = case_with_secrets(make_user, manager)
        first_contact = case.tasks.get(rule="first_contact")
        services.task_add(
            actor=manager,
            case=case,
            title=f"Antar {SECRET_NAME} ke RSUD",
            due_at=timezone.now() + dt.timedelta(hours=3),
        )
        now = timezone.now()
        with django_capture_on_commit_callbacks(execute=True):
            sent = notices.tasks_notify_due(now)
            assert notices.tasks_notify_due(now + dt.timedelta(minutes=5)) == 0  # once
        soon = received(manager, NotificationKind.TASK_DUE)
        assert sent == len(soon) == 2  # first contact (2 h for high risk) and the added task; not the later ones
        assert any(f"“Kontak pertama dan penjangkauan korban” kasus {case.registration_number}" in m for m in soon)
        assert any("(tugas tambahan)" in m for m in soon)
        with django_capture_on_commit_callbacks(execute=True):
            late = notices.tasks_notify_due(first_contact.due_at + dt.timedelta(minutes=1))
            assert notices.tasks_notify_due(first_contact.due_at + dt.timedelta(hours=1)) == 0
        assert late == 1
        assert any("sudah melewati batas waktu" in m for m in received(manager, NotificationKind.TASK_DUE))
        mail = mailed(mailoutbox)
        assert_no_identity(mail + "\n".join(received(manager, NotificationKind.TASK_DUE)))

    def test_a_snoozed_task_and_a_closed_case_stay_quiet_and_the_command_runs(self, make_user, capsys):
        manager = make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=manager)
        task = case.tasks.get(rule="assessment")
        services.task_snooze(
            actor=manager, task=task, until=timezone.now() + dt.timedelta(days=10), reason="Menunggu visum"
        )
        Case.objects.filter(pk=open_case(make_user, manager=manager).pk).update(status="terminasi")
        notices.tasks_notify_due(task.due_at + dt.timedelta(hours=1))
        messages = received(manager, NotificationKind.TASK_DUE)
        assert not any("Asesmen" in message for message in messages)
        # Late by then: first contact and the TPKS report; the plan (14 days) is neither late nor due within a day.
        assert len([m for m in messages if case.registration_number in m]) == 2
        call_command("notify_due_tasks")
        assert "pemberitahuan tugas dikirim" in capsys.readouterr().out


class NotificationSettingsTests:
    def test_each_person_chooses_which_kinds_come_by_email(self, make_user):
        user = make_user(Role.CASE_MANAGER)
        client = Client()
        client.force_login(user)
        url = reverse("portal:notification_settings")
        page = client.get(url).content.decode()
        assert "Kirim juga lewat e-mail" in page and "checked" in page
        response = client.post(url, {"by_email": [NotificationKind.URGENT_REPORT]})
        assert response["Location"] == reverse("portal:notifications")
        page = client.get(url).content.decode()
        assert page.count("checked") == 1
        bad = client.post(url, {"by_email": ["nonsense"]})
        assert bad.status_code == 400

    def test_everyone_signed_in_has_their_own_settings(self, make_user):
        assert_access(reverse("portal:notification_settings"), users=matrix_users(make_user), allowed=EVERY_SIGNED_IN)
