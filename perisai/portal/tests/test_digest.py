"""The daily digest: each person's overdue work from every app in one e-mail, never a child's identity."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from perisai.accounts.choices import Role
from perisai.cases.models import CaseTask
from perisai.cases.tests.factories import open_case
from perisai.portal import tasks
from perisai.referrals.models import Referral
from perisai.referrals.tests.helpers import SECRET_NAME, case_with_secrets, refer

pytestmark = pytest.mark.django_db


class DigestTests:
    def test_the_digest_lists_registration_numbers_and_tasks_but_no_child(self, make_user, mailoutbox):
        manager = make_user(Role.CASE_MANAGER)
        supervisor = make_user(Role.SUPERVISOR)
        case = open_case(make_user, manager=manager, harms=["touched"], child_name="Melati Demo")
        CaseTask.objects.filter(case=case).update(due_at=timezone.now() - dt.timedelta(hours=1))
        assert tasks.send_daily_digest.call() == 2
        recipients = {message.to[0] for message in mailoutbox}
        assert recipients == {manager.email, supervisor.email}
        for message in mailoutbox:
            assert case.registration_number in message.body and "TERLAMBAT" in message.body
            assert "Melati" not in message.body + message.subject

    def test_the_digest_queues_no_next_run_the_scheduler_does(self, make_user):
        make_user(Role.CASE_MANAGER)
        tasks.send_daily_digest.call()
        assert not DBTaskResult.objects.filter(task_path="perisai.portal.tasks.send_daily_digest").exists()


class DigestMovedMigrationTests:
    """portal 0001 moves digests queued under the old task path; it must never leave two digests a day."""

    moved = importlib.import_module("perisai.portal.migrations.0001_digest_task_moved")

    def queued(self):
        return sorted(DBTaskResult.objects.filter(status="READY").values_list("task_path", flat=True))

    def queue_under(self, path):
        tasks.send_daily_digest.using(run_after=timezone.now() + dt.timedelta(hours=1)).enqueue()
        DBTaskResult.objects.filter(task_path=self.moved.NEW).update(task_path=path)

    def test_a_digest_queued_by_the_old_code_is_moved(self):
        self.queue_under(self.moved.OLD)
        self.moved.forwards(apps, None)
        assert self.queued() == [self.moved.NEW]
        self.moved.backwards(apps, None)
        assert self.queued() == [self.moved.OLD]

    def test_when_the_new_code_queued_one_already_the_old_one_goes(self):
        self.queue_under(self.moved.OLD)
        tasks.send_daily_digest.using(run_after=timezone.now() + dt.timedelta(hours=1)).enqueue()
        self.moved.forwards(apps, None)
        assert self.queued() == [self.moved.NEW]


class ReferralDigestTests:
    def test_overdue_referrals_are_in_both_sides_digests_without_the_childs_identity(
        self, make_user, police_agency, mailoutbox
    ):
        manager, police = make_user(Role.CASE_MANAGER), make_user(Role.PARTNER_STAFF)
        case = case_with_secrets(make_user, manager)
        referral = refer(manager, case, police_agency)
        Referral.objects.filter(pk=referral.pk).update(due_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
        tasks.send_daily_digest.call()
        by_person = {message.to[0]: message.body for message in mailoutbox}
        assert case.registration_number in by_person[police.email]
        assert "RUJUKAN TERLAMBAT" in by_person[manager.email]
        for body in by_person.values():
            assert SECRET_NAME not in body
