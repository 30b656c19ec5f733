"""The administrators' page of background work: who may open it and what it shows."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from perisai.accounts.choices import Role
from perisai.accounts.testing import assert_access, matrix_users
from perisai.core import worker
from perisai.core.tasks import send_notification_email

pytestmark = pytest.mark.django_db
URL = reverse("ops:background")


def test_only_administrators_open_it(make_user):
    assert_access(URL, users=matrix_users(make_user), allowed=[Role.ADMINISTRATOR])


def test_it_shows_a_task_lost_with_its_worker_the_jobs_and_a_missing_worker(make_user, settings):
    result = send_notification_email.enqueue(0)
    dead = [f"w-{n}" for n in range(settings.PERISAI_TASK_MAX_ATTEMPTS)]
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING", worker_ids=dead, started_at=timezone.now() - dt.timedelta(hours=1)
    )
    worker.tasks_recover_stalled()
    client = Client()
    client.force_login(make_user(Role.ADMINISTRATOR))
    body = client.get(URL).content.decode()
    assert "Pekerjanya mati berulang kali" in body and "send_notification_email" in body
    assert "Ringkasan tugas harian (e-mail)" in body
    assert "Tidak ada pekerja atau penjadwal yang berjalan." in body
