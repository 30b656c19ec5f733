"""Case-list exports: supervisors only, password first, built in the background with progress, watermarked,
formula-safe, downloaded by the requester only, audited."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from conftest import reauthenticate
from perisai.accounts.choices import Role
from perisai.accounts.testing import assert_access, matrix_users
from perisai.audit.choices import AuditAction
from perisai.audit.models import AuditEvent
from perisai.cases.models import Case
from perisai.stats import counting, exports
from perisai.stats import tasks as stats_tasks
from perisai.stats.models import CaseExport, ExportStatus
from perisai.stats.periods import Period
from perisai.stats.tasks import build_export
from perisai.stats.tests.test_simfoni import sheets

PERIOD = {"jenis": "rentang", "dari": "2023-01-01", "sampai": "2023-09-30"}
DEMO_PASSWORD = "perisai-demo-2026"


@pytest.mark.django_db
class ExportAccessTests:
    def test_supervisors_and_analysts_reach_exports_and_are_asked_for_their_password(self, make_user):
        users = matrix_users(make_user)
        allowed = {Role.SUPERVISOR, Role.ANALYST}
        assert_access(reverse("stats:exports"), users=users, allowed=allowed, ok_status=(302,))

    def test_an_export_is_not_found_by_anyone_but_its_requester(self, make_user):
        users = matrix_users(make_user)
        export = CaseExport.objects.create(
            requested_by=users[Role.SUPERVISOR], file_format="csv", expires_at="2100-01-01T00:00Z"
        )
        other = make_user(Role.SUPERVISOR)
        client = Client()
        client.force_login(other)
        assert client.get(reverse("stats:export_detail", args=[export.public_id])).status_code == 404
        assert_access(reverse("stats:export_detail", args=[export.public_id]), users=users, allowed={Role.SUPERVISOR})


def signed_in_again(user) -> Client:
    client = Client()
    client.force_login(user)
    reauthenticate(client, password=DEMO_PASSWORD)
    return client


class ExportFlowTests:
    def test_a_supervisor_exports_the_period_in_the_background_and_downloads_it_once_audited(
        self, demo, django_capture_on_commit_callbacks
    ):
        supervisor = demo["supervisor"]
        client = signed_in_again(supervisor)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("stats:exports"), {**PERIOD, "format": "csv"})
        export = CaseExport.objects.get()
        assert response["Location"] == reverse("stats:export_detail", args=[export.public_id])
        queued = DBTaskResult.objects.get(task_path="perisai.stats.tasks.build_export")
        assert queued.args_kwargs["args"] == [export.pk]  # the id only
        page = client.get(response["Location"]).content.decode()
        assert 'hx-trigger="every 3s"' in page and "<progress" in page
        partial = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
        assert partial.startswith('<div id="export-status"')

        assert build_export.call(export.pk) == 40
        export.refresh_from_db()
        assert (export.status, export.progress, export.rows) == (ExportStatus.READY, 100, 40)
        assert b"DEMO" not in bytes(export.content)  # stored encrypted

        download = client.get(reverse("stats:export_download", args=[export.public_id]))
        assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
        rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
        assert rows[0][0].startswith(f"Diekspor oleh {supervisor.full_name}")
        assert rows[1] == exports.COLUMNS and len(rows) == 42
        assert AuditEvent.objects.filter(actor=supervisor, action=AuditAction.EXPORTED).count() == 1
        again = client.get(reverse("stats:export_download", args=[export.public_id]))
        assert again.status_code == 404  # once only

    def test_an_export_that_cannot_be_queued_says_it_failed(
        self, demo, django_capture_on_commit_callbacks, monkeypatch
    ):
        class QueueIsDown:
            def enqueue(self, *args):
                raise OSError("database is locked")

        # Task objects are frozen dataclasses: replace the task the subscriber looks up, not its method.
        monkeypatch.setattr(stats_tasks, "build_export", QueueIsDown())
        client = signed_in_again(demo["supervisor"])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("stats:exports"), {**PERIOD, "format": "csv"})
        assert response.status_code == 302  # the request was saved; the page tells the rest
        assert CaseExport.objects.get().status == ExportStatus.FAILED

    def test_the_xlsx_export_reads_back_with_the_watermark(self, demo):
        cases = Case.objects.all()
        facts = counting.facts_for(Period.year(2023))
        content = exports.write_xlsx(list(exports.case_rows(facts, cases)), "Diekspor oleh Uji pada 01-01-2026")
        values = sheets(content)["Kasus"]
        assert values[0] == "Diekspor oleh Uji pada 01-01-2026"
        assert values.count("Jenis kekerasan") == 1

    def test_cells_that_would_be_formulas_are_neutralised(self):
        content = exports.write_csv([["=cmd|' /C calc'!A0", "+1", "-2", "@SUM(A1)", 3]], "Diekspor oleh =x")
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        assert rows[0] == ["Diekspor oleh =x"]
        assert rows[2] == ["'=cmd|' /C calc'!A0", "'+1", "'-2", "'@SUM(A1)", "3"]
