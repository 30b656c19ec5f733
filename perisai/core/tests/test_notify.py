"""core.notifications.notify: one notice per user, and their e-mails queued together after the commit."""

from __future__ import annotations

import datetime as dt
import threading
import time
from unittest import mock

import pytest
import time_machine
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from perisai.core import notifications
from perisai.core.models import Notification
from perisai.core.notifications import email_preferences_save, notify, send_notification_email

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_e_mails_are_queued_in_one_transaction(make_user):
    """An urgent report notifies every intake officer and supervisor: one commit for all their e-mails, not one
    (a disk flush on PostgreSQL) each while the reporter waits. All or none: a failure half-way queues none, and
    the notices stay in the app."""
    users = [make_user("intake_officer") for _ in range(3)]
    with transaction.atomic():  # as a service calls it: inside the write it is about
        notify(users=users, message="DARURAT", url="/staf/")
        assert not DBTaskResult.objects.exists()  # nothing queued before the commit
    assert DBTaskResult.objects.filter(task_path__endswith="send_notification_email").count() == 3

    # One transaction for the three: the second failing takes the first back with it (queued one by one, the first
    # would have stayed). Django's commits do not pass through the query log, so this is how it shows.
    real = send_notification_email.enqueue
    calls = []

    def second_fails(pk):
        calls.append(pk)
        if len(calls) == 2:
            raise DatabaseError("server closed the connection unexpectedly")
        return real(pk)

    DBTaskResult.objects.all().delete()
    with mock.patch.object(type(send_notification_email), "enqueue", side_effect=second_fails, autospec=False):
        notify(users=users, message="DARURAT lagi", url="/staf/")
    assert len(calls) == 2
    assert not DBTaskResult.objects.exists()  # the first one went back with the second
    assert Notification.objects.filter(message="DARURAT lagi").count() == 3


def queued_emails() -> list[int]:
    return sorted(
        result.args_kwargs["args"][0]
        for result in DBTaskResult.objects.filter(task_path__endswith="send_notification_email")
    )


class EmailSweepTests:
    """An e-mail whose queueing after the commit failed is queued by the scheduler's sweep (ops.jobs, notice_emails)
    a few minutes later, once; e-mails queued as usual, and notices kept in the app by choice, are left alone."""

    def test_an_e_mail_whose_queueing_failed_is_queued_by_the_sweep_once(self, make_user):
        officer = make_user("intake_officer")
        with time_machine.travel(dt.datetime(2026, 3, 10, 2, 0, tzinfo=dt.UTC), tick=False):
            with mock.patch.object(
                type(send_notification_email), "enqueue", side_effect=DatabaseError("connection lost"), autospec=False
            ):
                [notice] = notify(users=[officer], message="DARURAT", url="/staf/")
            assert not DBTaskResult.objects.exists()
            notice.refresh_from_db()
            assert notice.email_due

            # Still within the minutes its own queueing could take: the sweep waits.
            assert notifications.emails_sweep() == 0
        later = (
            dt.datetime(2026, 3, 10, 2, 0, tzinfo=dt.UTC) + notifications.EMAIL_SWEEP_AFTER + dt.timedelta(seconds=1)
        )
        with time_machine.travel(later, tick=False):
            assert notifications.emails_sweep() == 1
            assert notifications.emails_sweep() == 0  # queued once, not at every sweep
        assert queued_emails() == [notice.pk]
        notice.refresh_from_db()
        assert not notice.email_due

    def test_e_mails_queued_after_the_commit_and_notices_kept_in_the_app_are_not_swept(self, make_user):
        by_email, app_only = make_user("intake_officer"), make_user("intake_officer")
        email_preferences_save(actor=app_only, by_email=[])
        notices = notify(users=[by_email, app_only, by_email], message="DARURAT", url="/staf/")
        assert [notice.user for notice in notices] == [by_email, app_only]
        assert queued_emails() == [notices[0].pk]
        assert not Notification.objects.filter(email_due=True).exists()
        with time_machine.travel(timezone.now() + dt.timedelta(hours=1), tick=False):
            assert notifications.emails_sweep() == 0
        assert queued_emails() == [notices[0].pk]

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises every write transaction")
    def test_a_queueing_waits_for_one_under_way_and_then_queues_nothing(self, make_user):
        """The race the row lock is for: the sweep and a late after-commit queueing of one notice at once. The
        second waits for the first's commit and then finds the e-mail queued; without the lock it would read the
        notice as still due and queue a second e-mail."""
        officer = make_user("intake_officer")
        with mock.patch.object(
            type(send_notification_email), "enqueue", side_effect=DatabaseError("connection lost"), autospec=False
        ):
            [notice] = notify(users=[officer], message="DARURAT", url="/staf/")
        holding, results = threading.Event(), []

        def first():
            try:
                with transaction.atomic():
                    list(Notification.objects.select_for_update().filter(pk=notice.pk))  # as the first one does
                    holding.set()
                    time.sleep(0.5)  # the second one reaches the lock meanwhile
                    send_notification_email.enqueue(notice.pk)
                    Notification.objects.filter(pk=notice.pk).update(email_due=False)
            finally:
                connections.close_all()

        thread = threading.Thread(target=first)
        thread.start()
        holding.wait(5)
        try:
            results.append(notifications._enqueue_emails([notice.pk]))
        finally:
            thread.join(10)
        assert results == [0]
        assert queued_emails() == [notice.pk]

    def test_a_late_queueing_and_the_sweep_of_the_same_notice_send_one_e_mail(self, make_user):
        officer = make_user("intake_officer")
        with mock.patch.object(
            type(send_notification_email), "enqueue", side_effect=DatabaseError("connection lost"), autospec=False
        ):
            [notice] = notify(users=[officer], message="DARURAT", url="/staf/")
        assert notifications._enqueue_emails([notice.pk]) == 1
        assert notifications._enqueue_emails([notice.pk]) == 0
        assert queued_emails() == [notice.pk]

    def test_a_notice_read_in_the_app_meanwhile_is_not_e_mailed(self, make_user):
        officer = make_user("intake_officer")
        with mock.patch.object(
            type(send_notification_email), "enqueue", side_effect=DatabaseError("connection lost"), autospec=False
        ):
            [notice] = notify(users=[officer], message="DARURAT", url="/staf/")
        notifications.notification_open(actor=officer, public_id=notice.public_id)
        with time_machine.travel(timezone.now() + dt.timedelta(hours=1), tick=False):
            assert notifications.emails_sweep() == 0
        notice.refresh_from_db()
        assert not notice.email_due and not DBTaskResult.objects.exists()

    def test_the_sweep_takes_a_batch_at_a_time_oldest_first(self, make_user):
        users = [make_user("intake_officer") for _ in range(3)]
        start = dt.datetime(2026, 3, 10, 2, 0, tzinfo=dt.UTC)
        for minute, user in enumerate(users):
            with (
                time_machine.travel(start + dt.timedelta(minutes=minute), tick=False),
                mock.patch.object(
                    type(send_notification_email), "enqueue", side_effect=DatabaseError("lost"), autospec=False
                ),
            ):
                notify(users=[user], message="DARURAT", url="/staf/")
        with time_machine.travel(start + dt.timedelta(hours=1), tick=False):
            assert notifications.emails_sweep(batch=2) == 2
            first_two = queued_emails()
            assert notifications.emails_sweep(batch=2) == 1
        oldest = list(Notification.objects.order_by("created_at").values_list("pk", flat=True))
        assert first_two == sorted(oldest[:2])
