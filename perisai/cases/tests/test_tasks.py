import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from perisai.accounts.choices import Role
from perisai.cases import deadlines, services
from perisai.cases.models import CaseTask
from perisai.cases.tests.factories import open_case

pytestmark = pytest.mark.django_db


class DeadlineRuleTests:
    def test_sexual_violence_gets_the_tpks_police_report_task_due_3x24_hours_after_the_report(self, make_user):
        case = open_case(make_user, manager=make_user(Role.CASE_MANAGER), harms=["touched"])
        task = case.tasks.get(rule=deadlines.POLICE_REPORT)
        report = case.reports.get()
        assert task.due_at - report.received_at == dt.timedelta(hours=72)
        assert task.assignee == case.case_manager
        first_contact = case.tasks.get(rule="first_contact")
        assert first_contact.due_at - report.received_at == dt.timedelta(hours=2)  # risk "tinggi"

    def test_other_violence_has_no_police_report_task(self, make_user):
        case = open_case(make_user, harms=["hit"])
        assert not case.tasks.filter(rule=deadlines.POLICE_REPORT).exists()
        assert set(case.tasks.values_list("rule", flat=True)) == {"first_contact", "assessment", "plan"}

    def test_deadlines_are_configurable(self, make_user, settings):
        settings.PERISAI_DEADLINE_HOURS = {deadlines.POLICE_REPORT: 24}
        case = open_case(make_user, harms=["sexual"])
        task = case.tasks.get(rule=deadlines.POLICE_REPORT)
        assert task.due_at - case.reports.get().received_at == dt.timedelta(hours=24)


class TaskCompletionTests:
    def test_refusing_the_police_report_needs_a_reason(self, make_user):
        manager = make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=manager, harms=["touched"])
        task = case.tasks.get(rule=deadlines.POLICE_REPORT)
        with pytest.raises(ValidationError):
            services.task_complete(actor=manager, task=task, outcome="refused")
        done = services.task_complete(actor=manager, task=task, outcome="already_reported", note="LP/123/XI/2026")
        assert done.done_at and done.note == "LP/123/XI/2026"

    def test_overdue_tasks_are_highlighted_and_put_the_case_on_top_of_my_list(self, client, make_user):
        manager = make_user(Role.CASE_MANAGER)
        calm = open_case(make_user, manager=manager, harms=["hit"])
        late = open_case(make_user, manager=manager, harms=["touched"])
        CaseTask.objects.filter(case=late, rule="first_contact").update(due_at=timezone.now() - dt.timedelta(hours=1))
        CaseTask.objects.filter(case=calm).update(due_at=timezone.now() + dt.timedelta(days=2))
        client.force_login(manager)
        response = client.get(reverse("cases:list"))
        assert response.context["cases"][0].pk == late.pk
        page = client.get(reverse("cases:detail", args=[late.public_id])).content.decode()
        assert "Terlambat" in page

    def test_reassigning_a_case_moves_its_open_tasks(self, make_user):
        first, second = make_user(Role.CASE_MANAGER), make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=first)
        services.case_assign(actor=make_user(Role.SUPERVISOR), case=case, case_manager=second, version=case.version)
        assert set(case.tasks.values_list("assignee", flat=True)) == {second.pk}
