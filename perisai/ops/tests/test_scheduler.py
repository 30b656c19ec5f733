"""The scheduler (issue 16, item 3): each job once per due time, even with two schedulers; missed runs made up
once; failures recorded without their text; the audit check alerts administrators."""

from __future__ import annotations

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from perisai.accounts.choices import Role
from perisai.cases.models import CaseTask
from perisai.cases.tests.factories import open_case
from perisai.core.models import Notification, ProcessHeartbeat
from perisai.ops import jobs, scheduler
from perisai.ops.archive import generate_key
from perisai.ops.models import JobRun

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")
INLINE = {"recover_tasks", "channel_urgent_drafts"}  # run by the scheduler itself, every minute


@pytest.fixture(autouse=True)
def no_backup(settings):
    """The backup runs in a thread of its own, on its own connection: only the tests made for it turn it on."""
    settings.PERISAI_BACKUP_KEY = ""


def at(hour: int, minute: int = 0, day: int = 10) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, 30, tzinfo=JAKARTA)


class DueTimeTests:
    def test_a_daily_job_is_due_at_its_local_time_today_or_yesterday(self):
        job = jobs.Job("x", "x", lambda: "", at=dt.time(7, 0))
        assert job.due_before(at(7, 0)) == at(7, 0).replace(second=0)
        assert job.due_before(at(6, 59)) == at(7, 0, day=9).replace(second=0)

    def test_an_interval_job_is_due_at_the_last_whole_interval(self):
        job = jobs.Job("x", "x", lambda: "", every=dt.timedelta(hours=1))
        assert job.due_before(at(9, 41)) == at(9, 0).replace(second=0)


class TickTests:
    def names(self, runs) -> set[str]:
        return {run.job for run in runs}

    def test_each_job_runs_once_per_due_time_even_with_two_schedulers(self, settings):
        settings.PERISAI_BACKUP_KEY = ""
        with time_machine.travel(at(7, 5), tick=False):
            first = scheduler.tick(ident="scheduler-a")
            second = scheduler.tick(ident="scheduler-b")
        # Every enabled job is claimed once; the backup has no key here, so it is off.
        assert self.names(first) == {job.name for job in jobs.jobs()} - {"backup"}
        assert second == []
        assert ProcessHeartbeat.objects.filter(kind="scheduler").count() == 2

    def test_a_run_is_never_claimed_without_its_task(self):
        lost = mock.Mock()
        lost.enqueue.side_effect = DatabaseError("the database went away")
        with mock.patch.object(scheduler, "run_scheduled_job", lost), time_machine.travel(at(7, 5), tick=False):
            with pytest.raises(DatabaseError):
                scheduler.tick(ident="s")
        assert set(JobRun.objects.values_list("job", flat=True)) == INLINE  # inline: done already
        with time_machine.travel(at(7, 5), tick=False):
            again = {run.job for run in scheduler.tick(ident="s")}
        assert "daily_digest" in again and "due_task_notices" in again

    def test_a_missed_daily_run_is_made_up_once(self):
        with time_machine.travel(at(6, 0), tick=False):
            scheduler.tick(ident="s")
        with time_machine.travel(at(11, 0), tick=False):  # down from 06:00 to 11:00: the 07:00 digest is owed
            later = self.names(scheduler.tick(ident="s"))
        assert "daily_digest" in later and "recover_tasks" in later and "retention" not in later

    def test_inline_jobs_run_in_the_scheduler_and_the_rest_go_to_the_worker(self):
        with time_machine.travel(at(7, 5), tick=False):
            runs = {run.job: run for run in scheduler.tick(ident="s")}
        assert {job.name for job in jobs.jobs() if job.inline} == INLINE
        assert runs["recover_tasks"].ok is True and "dijalankan ulang" in runs["recover_tasks"].detail
        assert runs["channel_urgent_drafts"].ok is True and "diteruskan" in runs["channel_urgent_drafts"].detail
        assert runs["daily_digest"].ok is None
        queued = DBTaskResult.objects.filter(task_path="perisai.ops.scheduler.run_scheduled_job", status="READY")
        assert queued.count() == len(runs) - len(INLINE)
        # The worker's side: the digest runs and its run is recorded.
        assert scheduler.run_scheduled_job.call(runs["daily_digest"].pk) is True
        done = JobRun.objects.get(pk=runs["daily_digest"].pk)
        assert done.ok is True and done.finished_at is not None
        # Run again (the worker died after finishing): nothing happens twice.
        assert scheduler.run_scheduled_job.call(done.pk) is False

    def test_a_failure_is_recorded_by_its_class_only_and_the_loop_goes_on(self):
        leaky = jobs.Job(
            "leaky",
            "x",
            mock.Mock(side_effect=ValueError("Melati Demo, 9 tahun")),
            every=dt.timedelta(minutes=1),
            inline=True,
        )
        with (
            mock.patch.object(jobs, "jobs", return_value=[leaky, *jobs.jobs()]),
            time_machine.travel(at(7, 5), tick=False),
        ):
            runs = {run.job: run for run in scheduler.tick(ident="s")}
        assert runs["leaky"].ok is False and runs["leaky"].detail == "ValueError"
        assert runs["recover_tasks"].ok is True

    def test_the_digest_is_sent_by_the_scheduler_and_queues_nothing_itself(self, make_user, mailoutbox):
        manager = make_user(Role.CASE_MANAGER)
        with time_machine.travel(at(9, 0, day=9), tick=False):
            case = open_case(make_user, manager=manager, harms=["touched"])
        CaseTask.objects.filter(case=case).update(due_at=at(6, 0))  # overdue by the 07:00 digest
        with time_machine.travel(at(7, 5), tick=False):
            run = next(run for run in scheduler.tick(ident="s") if run.job == "daily_digest")
            assert scheduler.run_scheduled_job.call(run.pk) is True
        [mail] = [message for message in mailoutbox if message.to == [manager.email]]
        assert case.registration_number in mail.body and "TERLAMBAT" in mail.body
        assert not DBTaskResult.objects.filter(task_path="perisai.portal.tasks.send_daily_digest").exists()


class AuditCheckTests:
    def test_a_broken_audit_chain_alerts_every_administrator_and_fails_the_job(self, make_user):
        admin, manager = make_user(Role.ADMINISTRATOR), make_user(Role.CASE_MANAGER)
        with mock.patch.object(jobs, "call_command", side_effect=CommandError("Jejak audit RUSAK: kejadian 17")):
            with pytest.raises(jobs.JobFailed, match="kejadian 17"):
                jobs.audit_check()
        notices = Notification.objects.all()
        assert [notice.user for notice in notices] == [admin]
        assert notices[0].url == reverse("ops:background") and manager not in [n.user for n in notices]

    def test_an_intact_chain_passes(self):
        assert "utuh" in jobs.audit_check()


def test_old_prevention_files_are_deleted_nightly_apart_from_the_cases_retention():
    # What materials_expire deletes, and when: perisai/prevention/tests/test_materials.py (RetentionTests).
    assert jobs.job_named("prevention_files").at == dt.time(2, 15)
    with mock.patch("perisai.prevention.services.materials_expire", return_value=2) as expire:
        assert jobs.prevention_files() == "2 berkas kegiatan pencegahan dihapus"
    expire.assert_called_once_with()


class CommandTests:
    def test_once_runs_one_pass_and_leaves_no_heartbeat(self, capsys):
        call_command("scheduler", "--once")
        assert JobRun.objects.filter(job="recover_tasks", ok=True).exists()
        assert not ProcessHeartbeat.objects.exists()
        assert "recover_tasks" in capsys.readouterr().out

    def test_runs_are_kept_apart_by_due_time(self):
        with time_machine.travel(at(7, 5), tick=False):
            scheduler.tick(ident="s")
        with time_machine.travel(at(7, 6), tick=False):
            again = {run.job for run in scheduler.tick(ident="s")}
        assert again == INLINE
        assert timezone.localtime(JobRun.objects.filter(job="recover_tasks").first().due_at).minute == 6


class PruningTests:
    def test_old_runs_and_quiet_minute_runs_are_pruned(self):
        with time_machine.travel(at(7, 5), tick=False):
            now = timezone.now()
            for job, age, ok in [
                ("recover_tasks", dt.timedelta(days=3), True),  # pruned: quiet and over 2 days
                ("recover_tasks", dt.timedelta(days=3, minutes=1), False),  # kept: it failed
                ("recover_tasks", dt.timedelta(hours=1), True),  # kept: recent
                ("channel_urgent_drafts", dt.timedelta(days=3), True),  # pruned: quiet and over 2 days
                ("notice_emails", dt.timedelta(days=3), True),  # pruned: every 5 minutes, quiet and over 2 days
                ("retention", dt.timedelta(days=31), True),  # pruned: over 30 days
                ("retention", dt.timedelta(days=29), True),  # kept
            ]:
                JobRun.objects.create(job=job, due_at=now - age, started_at=now - age, finished_at=now - age, ok=ok)
            assert "4 catatan penjadwal dihapus" in jobs.prune_task_results()
        assert sorted((run.job, run.ok) for run in JobRun.objects.all()) == [
            ("recover_tasks", False), ("recover_tasks", True), ("retention", True),
        ]  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_the_backup_runs_in_a_thread_of_the_scheduler_not_on_the_worker(settings, tmp_path):
    settings.PERISAI_BACKUP_KEY = generate_key()
    settings.PERISAI_BACKUP_DIR = tmp_path / "backups"
    with time_machine.travel(at(1, 5), tick=False):
        runs = {run.job: run for run in scheduler.tick(ident="s")}
    assert runs["backup"].ok is None  # under way while the scheduler goes on
    scheduler.threads_wait()
    done = JobRun.objects.get(pk=runs["backup"].pk)
    assert done.ok is True and done.detail.startswith("arsip perisai-backup-"), done.detail
    assert len(list((tmp_path / "backups").glob("perisai-backup-*.tar.enc"))) == 1
    queued = DBTaskResult.objects.filter(task_path="perisai.ops.scheduler.run_scheduled_job")
    assert sorted(JobRun.objects.get(pk=task.args_kwargs["args"][0]).job for task in queued) == sorted(
        name for name, run in runs.items() if name not in {"backup", *INLINE}
    )


def test_e_mails_whose_queueing_failed_are_swept_every_five_minutes():
    # What the sweep queues, and when: perisai/core/tests/test_notify.py (EmailSweepTests).
    assert jobs.job_named("notice_emails").every == dt.timedelta(minutes=5)
    with mock.patch.object(jobs, "emails_sweep", return_value=3) as sweep:
        assert jobs.notice_emails() == "3 e-mail pemberitahuan yang tertunda diantrekan"
    sweep.assert_called_once_with()
