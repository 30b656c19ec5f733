"""Tugas saya (my tasks across cases, overdue first, done or snoozed in one step) and the supervisor's team view
(open cases, late tasks and waiting approvals per worker; a case handed over from there)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from perisai.accounts.choices import Role
from perisai.accounts.testing import assert_access, matrix_users
from perisai.audit.choices import AuditAction
from perisai.audit.models import AuditEvent
from perisai.cases import deadlines, services
from perisai.cases.models import Case, CaseTask
from perisai.cases.tests.factories import open_case, plan_item

pytestmark = pytest.mark.django_db


def local_input(moment: dt.datetime) -> str:
    """A moment as the datetime-local field sends it (WIB)."""
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}"


@pytest.fixture
def users(make_user):
    return matrix_users(make_user)


class MyTasksTests:
    def test_overdue_first_then_by_deadline_and_only_my_own(self, make_user):
        manager = make_user(Role.CASE_MANAGER)
        first, second = open_case(make_user, manager=manager), open_case(make_user, manager=manager)
        someone_elses = open_case(make_user, manager=make_user(Role.CASE_MANAGER))
        now = timezone.now()
        late = services.task_add(
            actor=manager, case=second, title="Kunjungan rumah", due_at=now - dt.timedelta(hours=3)
        )
        client = Client()
        client.force_login(manager)
        page = client.get(reverse("cases:my_tasks")).content.decode()
        assert page.index("Kunjungan rumah") < page.index("Kontak pertama dan penjangkauan korban")
        assert first.registration_number in page and someone_elses.registration_number not in page
        assert "Terlambat" in page and late.title in page
        # The police-report task (UU TPKS) is recorded on the case, with its outcome: no one-click "done".
        assert "Catat hasil lapor polisi di halaman kasus" in page

    def test_done_in_one_step_comes_back_to_the_list(self, make_user):
        manager = make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=manager)
        task = case.tasks.get(rule="assessment")
        client = Client()
        client.force_login(manager)
        url = reverse("cases:task_complete", args=[case.public_id, task.public_id])
        response = client.post(url, {"outcome": "done", "kembali": "tugas-saya"})
        assert response["Location"] == reverse("cases:my_tasks")
        task.refresh_from_db()
        assert task.done_at and task.done_by == manager
        again = client.post(url, {"outcome": "done", "kembali": "tugas-saya"}, follow=True)
        assert "Tugas ini sudah selesai." in again.content.decode()  # e.g. pressed twice, or a colleague was first

    def test_snooze_with_a_reason_keeps_the_deadline(self, make_user):
        manager = make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=manager)
        task = case.tasks.get(rule="assessment")
        client = Client()
        client.force_login(manager)
        url = reverse("cases:task_snooze", args=[case.public_id, task.public_id])
        until = timezone.now() + dt.timedelta(days=2)
        bad = client.post(url, {"until": local_input(timezone.now() + dt.timedelta(days=30)), "reason": "cuti"})
        body = bad.content.decode()
        assert bad.status_code == 400 and "Paling lama 14 hari" in body and 'value="cuti"' in body
        response = client.post(url, {"until": local_input(until), "reason": "Menunggu hasil visum"})
        assert response["Location"] == reverse("cases:my_tasks")
        snoozed = CaseTask.objects.get(pk=task.pk)
        assert snoozed.snoozed and snoozed.due_at == task.due_at and snoozed.snooze_reason == "Menunggu hasil visum"
        page = client.get(reverse("cases:my_tasks")).content.decode()
        assert page.index("Ditunda") < page.index("Menunggu hasil visum")
        event = AuditEvent.objects.filter(action=AuditAction.CASE_UPDATED, actor=manager).latest("seq")
        assert "snoozed_until" in event.extra and "visum" not in str(event.extra)

    def test_the_police_report_task_cannot_be_snoozed(self, make_user):
        manager = make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=manager)
        task = case.tasks.get(rule=deadlines.POLICE_REPORT)
        client = Client()
        client.force_login(manager)
        url = reverse("cases:task_snooze", args=[case.public_id, task.public_id])
        until = local_input(timezone.now() + dt.timedelta(days=1))
        response = client.post(url, {"until": until, "reason": "Menunggu wali"})
        assert response.status_code == 400
        assert CaseTask.objects.get(pk=task.pk).snoozed_until is None

    def test_who_sees_the_lists(self, users, make_user):
        assert_access(reverse("cases:my_tasks"), users=users, allowed={Role.CASE_MANAGER, Role.SUPERVISOR})
        assert_access(reverse("cases:team"), users=users, allowed={Role.SUPERVISOR})
        case = open_case(make_user, manager=users[Role.CASE_MANAGER])
        task = case.tasks.get(rule="assessment")
        assert_access(
            reverse("cases:task_snooze", args=[case.public_id, task.public_id]),
            users=users,
            method="post",
            data={"until": "", "reason": ""},
            allowed={Role.CASE_MANAGER, Role.SUPERVISOR},
            ok_status={400},
        )


class TeamTests:
    def test_per_worker_counts_and_a_case_handed_over_from_there(self, make_user, django_assert_max_num_queries):
        supervisor = make_user(Role.SUPERVISOR)
        ani, budi = make_user(Role.CASE_MANAGER), make_user(Role.CASE_MANAGER)
        first, second = open_case(make_user, manager=ani), open_case(make_user, manager=ani)
        unassigned = open_case(make_user)
        services.task_add(actor=ani, case=first, title="Terlambat", due_at=timezone.now() - dt.timedelta(hours=1))
        Case.objects.filter(pk=second.pk).update(status="rencana")
        second.refresh_from_db()
        plan_item(ani, second)
        services.approval_request(actor=ani, case=second, kind="plan", note="")
        client = Client()
        client.force_login(supervisor)
        page = client.get(reverse("cases:team")).content.decode()
        # Four queries for the page itself (workers, cases, late tasks, approvals) whatever the team's size; the
        # other 14 are every staff page's (session, account, second factor, roles, unread notices).
        with django_assert_max_num_queries(18):
            response = client.get(reverse("cases:team"))
        rows = {row.worker: row for row in response.context["workload"]}
        for _ in range(3):
            open_case(make_user, manager=make_user(Role.CASE_MANAGER))
        with django_assert_max_num_queries(18):
            client.get(reverse("cases:team"))
        assert len(rows[ani].open_cases) == 2 and rows[ani].overdue_tasks == 1 and rows[ani].waiting_approvals == 1
        assert rows[budi].open_cases == [] and rows[None].open_cases == [unassigned]
        assert unassigned.registration_number in page
        response = client.post(
            reverse("cases:assign", args=[first.public_id]),
            {"case_manager": budi.pk, "version": first.version, "kembali": "tim"},
        )
        assert response["Location"] == reverse("cases:team")
        first.refresh_from_db()
        assert first.case_manager == budi
        assert first.tasks.filter(done_at__isnull=True).exclude(assignee=budi).count() == 0  # the work follows
        stale = client.post(
            reverse("cases:assign", args=[first.public_id]),
            {"case_manager": ani.pk, "version": first.version - 1, "kembali": "tim"},
            follow=True,
        )
        assert "baru saja diubah oleh orang lain" in stale.content.decode()
        assert Case.objects.get(pk=first.pk).case_manager == budi
