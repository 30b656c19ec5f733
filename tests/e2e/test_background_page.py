"""The administrators' page of background work (issue 16, item 4) in a real browser at both sizes: a task lost with
its worker, the jobs and the processes, reached from the staff home's menu; axe-clean."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import expect

from perisai.accounts.choices import Role
from perisai.core import worker
from perisai.core.models import ProcessHeartbeat
from perisai.core.tasks import send_notification_email
from perisai.ops import scheduler


def test_an_administrator_sees_a_lost_task_the_jobs_and_the_processes(
    open_page, viewport, make_user, settings, tmp_path
):
    settings.PERISAI_BACKUP_DIR = tmp_path / "backups"  # the night's backup runs in the scheduler's thread
    result = send_notification_email.enqueue(0)
    dead = [f"vm-{n}-dead" for n in range(settings.PERISAI_TASK_MAX_ATTEMPTS)]
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING", worker_ids=dead, started_at=timezone.now() - dt.timedelta(hours=1)
    )
    worker.heartbeat_beat(kind=ProcessHeartbeat.Kind.WORKER, ident="vm-1234-alive")
    scheduler.tick(ident="vm-99-scheduler")  # recovers the lost task, starts the day's jobs
    scheduler.threads_wait()

    admin = open_page(viewport, user=make_user(Role.ADMINISTRATOR))
    admin.visit(reverse("portal:staff_home"))
    with admin.navigation():
        admin.get_by_role("link", name="Server: tugas latar belakang dan jadwal").click()
    expect(admin.get_by_role("table", name="Tugas gagal")).to_contain_text("Pekerjanya mati berulang kali")
    expect(admin.get_by_role("table", name="Proses")).to_contain_text("Hidup")
    expect(admin.get_by_role("table", name="Pekerjaan terjadwal")).to_contain_text("Ringkasan tugas harian")
    admin.assert_no_horizontal_scroll()
    admin.screenshot("01-background")
