import datetime as dt
import time
from unittest import mock

import pytest
import time_machine
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from perisai.core import health, worker
from perisai.core.models import ProcessHeartbeat
from perisai.core.tasks import send_notification_email

pytestmark = pytest.mark.django_db


class LandingPageTests:
    def test_anyone_sees_what_to_do_when_a_child_is_in_danger(self, client):
        response = client.get(reverse("core:landing"))
        assert response.status_code == 200
        body = response.content.decode()
        for number in ("tel:110", "tel:112", "tel:129", "08111-129-129"):
            assert number in body
        assert "Apa yang terjadi setelah Anda melapor" in body

    def test_page_is_indonesian_even_when_the_browser_asks_for_english(self, client):
        response = client.get(reverse("core:landing"), headers={"accept-language": "en-US,en;q=0.9"})
        assert '<html lang="id">' in response.content.decode()

    def test_language_switch_to_english_is_remembered(self, client):
        response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
        assert response.status_code == 302
        response = client.get(reverse("core:landing"))
        assert '<html lang="en">' in response.content.decode()
        assert response["Content-Language"] == "en"
        assert "Is a child in danger right now?" in response.content.decode()  # the compiled English catalogue

    def test_head_request_is_answered(self, client):
        assert client.head(reverse("core:landing")).status_code == 200

    def test_security_headers_are_sent(self, client):
        response = client.get(reverse("core:landing"))
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"


def processes_alive():
    """A worker and a scheduler that beat just now."""
    worker.heartbeat_beat(kind=ProcessHeartbeat.Kind.WORKER, ident="worker-test")
    worker.heartbeat_beat(kind=ProcessHeartbeat.Kind.SCHEDULER, ident="scheduler-test")


class HealthzTests:
    def test_reports_ok_when_every_part_works(self, client):
        processes_alive()
        response = client.get(reverse("core:healthz"))
        assert response.status_code == 200, response.json()
        body = response.json()
        assert body["status"] == "ok" and body["failing"] == []
        assert set(body["checks"]) == {
            "database", "database_writable", "migrations", "disk", "worker", "scheduler", "queue"
        }  # fmt: skip

    def test_reports_503_when_the_database_is_unreachable(self, client):
        with mock.patch("perisai.core.health.connection") as connection:
            connection.cursor.side_effect = DatabaseError("connection refused")
            response = client.get(reverse("core:healthz"))
        assert response.status_code == 503
        assert response.json()["failing"] == ["database"]
        assert response.json()["checks"]["worker"] == "unknown"

    def test_a_database_that_refuses_writes_is_unhealthy(self, client):
        processes_alive()
        with mock.patch("perisai.core.health.heartbeat_beat", side_effect=DatabaseError("database or disk is full")):
            response = client.get(reverse("core:healthz"))
        assert response.status_code == 503 and response.json()["failing"] == ["database_writable"]

    def test_a_nearly_full_disk_is_unhealthy(self, client, settings):
        processes_alive()
        free = health.disk_free_mb()
        settings.PERISAI_HEALTH_MIN_FREE_MB = free + 10_000
        response = client.get(reverse("core:healthz"))
        assert response.status_code == 503 and response.json()["failing"] == ["disk"]

    def test_a_worker_or_scheduler_that_stopped_beating_is_named(self, client):
        processes_alive()
        later = timezone.now() + dt.timedelta(seconds=181)
        with time_machine.travel(later, tick=False):
            worker.heartbeat_beat(kind=ProcessHeartbeat.Kind.SCHEDULER, ident="scheduler-test")
            response = client.get(reverse("core:healthz"))
        assert response.status_code == 503 and response.json()["failing"] == ["worker"]
        ProcessHeartbeat.objects.all().delete()
        assert client.get(reverse("core:healthz")).json()["failing"] == ["worker", "scheduler"]

    def test_a_task_waiting_too_long_is_named(self, client, settings):
        send_notification_email.enqueue(0)
        later = timezone.now() + dt.timedelta(seconds=settings.PERISAI_HEALTH_QUEUE_MAX_SECONDS + 5)
        with time_machine.travel(later, tick=False):
            processes_alive()
            response = client.get(reverse("core:healthz"))
        assert response.status_code == 503 and response.json()["failing"] == ["queue"]

    def test_a_task_queued_for_later_is_not_late(self, client, settings):
        run_after = timezone.now() + dt.timedelta(hours=5)
        send_notification_email.using(run_after=run_after).enqueue(0)
        with time_machine.travel(run_after + dt.timedelta(seconds=30), tick=False):
            processes_alive()
            assert client.get(reverse("core:healthz")).status_code == 200

    def test_figures_only_for_the_server_itself_or_the_token(self, client, settings):
        processes_alive()
        settings.PERISAI_METRICS_TOKEN = "rahasia-monitor"
        local = client.get(reverse("core:healthz")).json()
        assert local["figures"]["worker_seen_seconds_ago"] == 0
        outside = Client(REMOTE_ADDR="198.51.100.7")
        assert "figures" not in outside.get(reverse("core:healthz")).json()
        with_token = outside.get(reverse("core:healthz"), headers={"Authorization": "Bearer rahasia-monitor"})
        assert "figures" in with_token.json()
        settings.PERISAI_TRUSTED_PROXIES = 1  # relayed by nginx: never local, whatever address it came from
        relayed = client.get(reverse("core:healthz"), headers={"X-Forwarded-For": "127.0.0.1"})
        assert "figures" not in relayed.json()

    def test_a_flood_of_probes_writes_once_and_reads_the_migrations_once(self, client):
        processes_alive()
        with (
            mock.patch.object(health, "WRITE_PROOF_SECONDS", 600),  # however slow this machine is
            mock.patch("perisai.core.health.heartbeat_beat", wraps=worker.heartbeat_beat) as beat,
            mock.patch("perisai.core.health.MigrationExecutor", wraps=health.MigrationExecutor) as executor,
        ):
            for _ in range(5):
                assert client.get(reverse("core:healthz")).status_code == 200
        assert beat.call_count == 1 and executor.call_count == 1

    def test_a_warmed_up_worker_reads_no_migration_graph_at_its_first_probe(self, client):
        # gunicorn's post_worker_init; closing the test's own connection would end its transaction.
        with mock.patch("django.db.connections.close_all") as close_all:
            health.warm_up()
        assert close_all.called
        processes_alive()
        with mock.patch("perisai.core.health.MigrationExecutor") as executor:
            assert client.get(reverse("core:healthz")).status_code == 200
        assert executor.call_count == 0

    def test_warm_up_lets_a_worker_start_while_the_database_is_down(self):
        with (
            mock.patch("django.db.connections.close_all"),
            mock.patch("perisai.core.health.MigrationExecutor", side_effect=DatabaseError("connection refused")),
        ):
            health.warm_up()
        assert not health._state["migrated"]  # the first probe looks again

    def test_a_web_process_beats_without_probes_and_removes_its_row_on_exit(self):
        with mock.patch("django.db.connections.close_all"):
            assert health.web_heartbeat_once()
            assert ProcessHeartbeat.objects.get(ident=health.web_ident()).kind == ProcessHeartbeat.Kind.WEB
            health.web_heartbeat_stop()
        assert not ProcessHeartbeat.objects.filter(ident=health.web_ident()).exists()

    @pytest.mark.parametrize("error", [DatabaseError("database or disk is full"), RuntimeError("anything else")])
    def test_a_failed_beat_is_logged_not_raised(self, error):
        with (
            mock.patch("django.db.connections.close_all"),
            mock.patch("perisai.core.health.heartbeat_beat", side_effect=error),
        ):
            assert health.web_heartbeat_once() is False

    def test_the_beat_thread_stops_before_the_row_is_removed(self):
        order = []
        with (
            mock.patch.object(health, "web_heartbeat_once", side_effect=lambda: order.append("beat")),
            mock.patch("perisai.core.worker.heartbeat_forget", side_effect=lambda **_: order.append("forget")),
            mock.patch("django.db.connections.close_all"),
        ):
            thread = health.web_heartbeat_start(interval=0.01)
            deadline = time.monotonic() + 5
            while order.count("beat") < 2 and time.monotonic() < deadline:
                time.sleep(0.01)
            health.web_heartbeat_stop()
        assert not thread.is_alive()
        assert order.count("beat") >= 2 and order[-1] == "forget"

    def test_a_beat_still_under_way_at_exit_is_not_followed_by_the_rows_removal(self):
        """It would write the row again after its removal (seen once in CI, for the worker's same thread)."""
        import threading

        release, forgotten = threading.Event(), []
        with (
            mock.patch.object(health, "web_heartbeat_once", side_effect=lambda: release.wait(5)),
            mock.patch("perisai.core.worker.heartbeat_forget", side_effect=lambda **_: forgotten.append(True)),
            mock.patch("django.db.connections.close_all"),
        ):
            thread = health.web_heartbeat_start(interval=0.01)
            health.web_heartbeat_stop(timeout=0.1)
            assert thread.is_alive() and forgotten == []
            release.set()
            thread.join(5)
        assert not thread.is_alive()

    def test_is_never_cached(self, client):
        assert "no-cache" in client.get(reverse("core:healthz"))["Cache-Control"]

    def test_liveness_needs_only_the_database(self, client):
        assert client.get(reverse("core:livez")).json() == {"status": "ok"}
        with mock.patch("perisai.core.health.connection") as connection:
            connection.cursor.side_effect = DatabaseError("connection refused")
            assert client.get(reverse("core:livez")).status_code == 503


class ErrorPageTests:
    def test_unknown_page_answers_in_indonesian_and_reveals_nothing(self, client):
        response = client.get("/tidak-ada/../../etc/passwd")
        assert response.status_code == 404
        body = response.content.decode()
        assert "Halaman tidak ditemukan" in body
        assert "Traceback" not in body and "urlpatterns" not in body


class CompressionTests:
    def test_pages_go_out_compressed_to_browsers_that_accept_it(self, client):
        response = client.get(reverse("reports_public:form"), headers={"Accept-Encoding": "gzip, deflate, br"})
        assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert "Content-Encoding" not in client.get(reverse("reports_public:form"))

    def test_binary_answers_are_left_alone(self, rf):
        from django.http import HttpResponse

        from perisai.core.compression import TextCompressionMiddleware

        photo = HttpResponse(b"\xff\xd8" + b"\0" * 5000, content_type="image/jpeg")
        request = rf.get("/", headers={"Accept-Encoding": "gzip"})
        assert not TextCompressionMiddleware(lambda r: photo)(request).has_header("Content-Encoding")
