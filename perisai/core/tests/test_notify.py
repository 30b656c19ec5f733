"""core.notifications.notify: one notice per user, and their e-mails queued together after the commit."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import DatabaseError, transaction
from django_tasks_db.models import DBTaskResult

from perisai.core.models import Notification
from perisai.core.notifications import notify, send_notification_email

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
