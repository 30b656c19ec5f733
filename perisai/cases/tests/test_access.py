import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from conftest import reauthenticate
from perisai.accounts.choices import Role
from perisai.accounts.testing import NO_ROLE, OTHER_PARTNER, assert_access, matrix_users
from perisai.audit.choices import AuditAction
from perisai.audit.models import AuditEvent
from perisai.cases.models import Case
from perisai.cases.tests.factories import open_case, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(make_user):
    return matrix_users(make_user)


class CaseAccessMatrixTests:
    def test_case_list(self, users):
        assert_access(reverse("cases:list"), users=users, allowed={Role.CASE_MANAGER, Role.SUPERVISOR})

    def test_case_detail_for_its_manager_and_supervisors_only_audited(self, users, make_user):
        case = open_case(make_user, manager=users[Role.CASE_MANAGER])
        assert_access(
            reverse("cases:detail", args=[case.public_id]),
            users=users,
            allowed={Role.CASE_MANAGER, Role.SUPERVISOR},
            audit_action=AuditAction.RECORD_VIEWED,
        )

    def test_a_case_manager_cannot_open_another_managers_case(self, users, make_user):
        case = open_case(make_user, manager=make_user(Role.CASE_MANAGER))
        client = Client()
        client.force_login(users[Role.CASE_MANAGER])
        assert client.get(reverse("cases:detail", args=[case.public_id])).status_code == 404

    def test_actions_on_a_case(self, users, make_user):
        case = open_case(make_user, manager=users[Role.CASE_MANAGER])
        for name in ("cases:transition", "cases:request_approval", "cases:assign", "cases:lawful_basis"):
            assert_access(
                reverse(name, args=[case.public_id]),
                users=users,
                method="post",
                allowed={Role.CASE_MANAGER, Role.SUPERVISOR},
                ok_status={400, 404, 302},
            )

    def test_triage_page(self, users):
        item = report()
        assert_access(
            reverse("cases:triage", args=[item.public_id]), users=users, allowed={Role.INTAKE_OFFICER, Role.SUPERVISOR}
        )


class BreakTheGlassTests:
    def restricted_case(self, make_user):
        case = open_case(make_user, manager=make_user(Role.CASE_MANAGER))
        Case.objects.filter(pk=case.pk).update(restricted=True)
        return case

    def test_a_supervisor_must_give_a_reason_and_every_supervisor_is_told(
        self, client, make_user, django_capture_on_commit_callbacks
    ):
        case = self.restricted_case(make_user)
        supervisor, colleague = make_user(Role.SUPERVISOR), make_user(Role.SUPERVISOR)
        client.force_login(supervisor)
        url = reverse("cases:detail", args=[case.public_id])
        assert client.get(url)["Location"].startswith(reverse("account_reauthenticate"))
        reauthenticate(client)
        page = client.get(url)
        assert "Berkas ini terbatas" in page.content.decode() and case.registration_number in page.content.decode()
        assert not AuditEvent.objects.filter(action=AuditAction.RECORD_VIEWED, actor=supervisor).exists()
        response = client.post(url, {"reason": "pendek"})
        assert "paling sedikit 10 karakter" in response.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, {"reason": "Anak kabur dari rumah aman malam ini, pendamping tidak bisa dihubungi."})
        page = client.get(url)
        assert page.status_code == 200 and "Akses darurat" in page.content.decode()
        assert AuditEvent.objects.filter(action=AuditAction.BREAK_THE_GLASS, actor=supervisor).exists()
        task = DBTaskResult.objects.get(task_path="perisai.cases.tasks.notify_break_glass")
        assert colleague.email not in str(task.args_kwargs)  # ids only in the queue

    def test_nobody_else_even_learns_that_a_restricted_case_exists(self, users, make_user):
        case = self.restricted_case(make_user)
        for label in (
            Role.CASE_MANAGER,
            Role.INTAKE_OFFICER,
            Role.ANALYST,
            Role.ADMINISTRATOR,
            Role.PARTNER_STAFF,
            NO_ROLE,
            OTHER_PARTNER,
        ):
            client = Client()
            client.force_login(users[label])
            assert client.get(reverse("cases:detail", args=[case.public_id])).status_code == 404, label

    def test_the_notification_names_no_child(self, make_user, mailoutbox):
        from perisai.cases import services, tasks

        case = self.restricted_case(make_user)
        make_user(Role.SUPERVISOR)
        grant = services.case_break_glass(
            actor=make_user(Role.SUPERVISOR), case=case, reason="Darurat: anak dilaporkan hilang."
        )
        tasks.notify_break_glass.call(grant.pk)
        assert len(mailoutbox) == 1
        message = mailoutbox[0]
        assert case.registration_number in message.body
        assert "Anak Uji" not in message.body + message.subject


class CaseTeamTests:
    def test_a_team_member_may_open_the_case_and_others_still_may_not(self, client, make_user):
        from perisai.cases import services

        manager, psychologist, outsider = (make_user(Role.CASE_MANAGER) for _ in range(3))
        case = open_case(make_user, manager=manager)
        supervisor = make_user(Role.SUPERVISOR)
        url = reverse("cases:detail", args=[case.public_id])
        client.force_login(psychologist)
        assert client.get(url).status_code == 404
        client.force_login(supervisor)
        client.post(
            reverse("cases:team_add", args=[case.public_id]), {"user": psychologist.pk, "team_role": "psikolog"}
        )
        client.force_login(psychologist)
        assert client.get(url).status_code == 200
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        with pytest.raises(Http404):
            services.team_add(actor=manager, case=case, user=outsider, team_role="konselor")  # supervisors only


class RemainingCaseViewsMatrixTests:
    def test_every_other_case_view(self, users, make_user):
        case = open_case(make_user, manager=users[Role.CASE_MANAGER], harms=["touched"])
        task = case.tasks.first()
        office = {Role.CASE_MANAGER, Role.SUPERVISOR}
        for name in ("cases:service_add",):
            assert_access(reverse(name, args=[case.public_id]), users=users, allowed=office)
        for name, args in (
            ("cases:task_add", [case.public_id]),
            ("cases:team_add", [case.public_id]),
            ("cases:task_complete", [case.public_id, task.public_id]),
        ):
            assert_access(reverse(name, args=args), users=users, method="post", allowed=office, ok_status={400})
        perpetrator = case.perpetrators.first()
        if perpetrator:
            assert_access(
                reverse("cases:perpetrator_edit", args=[case.public_id, perpetrator.public_id]),
                users=users,
                allowed=office,
            )
