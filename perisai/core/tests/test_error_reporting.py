"""Error reports to Sentry carry no personal data: the SDK is told not to collect it, and before_send keeps only
what is known to be safe. Sentry starts only with a DSN."""

from __future__ import annotations

import json

import pytest
import sentry_sdk
from django.test import Client
from sentry_sdk.transport import Transport

from perisai.core import error_reporting
from perisai.core.tests.outage_urls import CHILD, REPORTER_EMAIL
from perisai.core.tests.test_settings import manage, production_env

PERSONAL = (CHILD, "Bunga", "Lestari", REPORTER_EMAIL, "sri.rahayu", "081234567890", "10.20.30.40", "sessionid-secret")


def realistic_event() -> dict:
    """An event as the Django, logging and stdlib integrations build it for a failed import of a victim's row."""
    return {
        "event_id": "7f0c2a4e5b1d4c3e9a8b0123456789ab",
        "timestamp": "2026-03-14T10:00:00Z",
        "level": "error",
        "platform": "python",
        "logger": "django.request",
        "transaction": "/staf/kasus/{public_id}/",
        "server_name": "perisai-1",
        "release": "perisai@0.1.0",
        "environment": "production",
        "message": f"Data anak {CHILD} gagal disimpan",
        "logentry": {
            "message": "row %s failed for %s",
            "params": [12, CHILD],
            "formatted": f"row 12 failed for {CHILD}",
        },
        "exception": {
            "values": [
                {
                    "type": "ValidationError",
                    "module": "django.core.exceptions",
                    "value": f"['Nama {CHILD} sudah terdaftar dengan NIK 3672011203150001']",
                    "mechanism": {"type": "django", "handled": False, "data": {"nama": CHILD}},
                    "stacktrace": {
                        "frames": [
                            {
                                "filename": "perisai/cases/services.py",
                                "abs_path": "/srv/perisai/perisai/cases/services.py",
                                "function": "victim_save",
                                "module": "perisai.cases.services",
                                "lineno": 212,
                                "in_app": True,
                                "context_line": "        victim.full_clean()",
                                "vars": {"name": CHILD, "phone": "081234567890", "email": REPORTER_EMAIL},
                            }
                        ]
                    },
                }
            ]
        },
        "request": {
            "url": f"https://perisai.example.go.id/staf/kasus/?cari={CHILD}",
            "method": "POST",
            "query_string": f"cari={CHILD}",
            "data": {"full_name": CHILD, "phone": "081234567890"},
            "cookies": {"sessionid": "sessionid-secret", "csrftoken": "abc"},
            "headers": {
                "Host": "perisai.example.go.id",
                "Cookie": "sessionid=sessionid-secret",
                "User-Agent": "Mozilla/5.0 (Linux; Android 10; Redmi Note 8 of Bunga)",
                "Referer": f"https://perisai.example.go.id/staf/kasus/?cari={CHILD}",
                "X-Forwarded-For": "10.20.30.40",
                "Content-Type": "application/x-www-form-urlencoded",
            },
            "env": {"REMOTE_ADDR": "10.20.30.40", "SERVER_NAME": "perisai"},
        },
        "user": {"id": "42", "email": REPORTER_EMAIL, "username": "sri.rahayu", "ip_address": "10.20.30.40"},
        "breadcrumbs": {
            "values": [
                {
                    "type": "default",
                    "category": "query",
                    "level": "info",
                    "timestamp": "2026-03-14T09:59:59Z",
                    "message": f"SELECT ... WHERE name = '{CHILD}'",
                    "data": {"db.params": [CHILD]},
                },
                {
                    "type": "http",
                    "category": "httplib",
                    "level": "info",
                    "data": {"url": f"https://wa.example/send?to=081234567890&text={CHILD}", "method": "GET"},
                },
                {"category": "perisai.cases", "level": "warning", "message": f"retrying {REPORTER_EMAIL}"},
            ]
        },
        "extra": {"sys.argv": ["manage.py", "import_cases", "daftar-Bunga-Lestari.xlsx"], "row": {"nama": CHILD}},
        "contexts": {
            "runtime": {"name": "CPython", "version": "3.12.3"},
            "trace": {"trace_id": "0" * 32, "span_id": "1" * 16},
            "response": {"status_code": 500},
            "victim": {"name": CHILD},
        },
        "tags": {"request_id": "0123456789abcdef0123456789abcdef", "note": f"contact {REPORTER_EMAIL}"},
    }


class BeforeSendTests:
    def test_no_personal_data_survives(self):
        cleaned = json.dumps(error_reporting.before_send(realistic_event(), {}))
        for secret in PERSONAL:
            assert secret not in cleaned, secret

    def test_what_helps_find_the_bug_is_kept(self):
        cleaned = error_reporting.before_send(realistic_event(), {})
        (exception,) = cleaned["exception"]["values"]
        assert exception["type"] == "ValidationError" and exception["value"] == error_reporting.SCRUBBED
        (frame,) = exception["stacktrace"]["frames"]
        assert frame == {
            "filename": "perisai/cases/services.py",
            "abs_path": "/srv/perisai/perisai/cases/services.py",
            "function": "victim_save",
            "module": "perisai.cases.services",
            "lineno": 212,
            "in_app": True,
            "context_line": "        victim.full_clean()",
        }
        assert cleaned["user"] == {"id": "42"}
        assert cleaned["request"] == {
            "method": "POST",
            "headers": {"Host": "perisai.example.go.id", "Content-Type": "application/x-www-form-urlencoded"},
        }
        assert cleaned["transaction"] == "/staf/kasus/{public_id}/"
        assert cleaned["logentry"] == {"message": "row %s failed for %s"}
        assert cleaned["tags"]["request_id"] == "0123456789abcdef0123456789abcdef"
        assert [crumb.get("category") for crumb in cleaned["breadcrumbs"]["values"]] == [
            "query",
            "httplib",
            "perisai.cases",
        ]
        assert set(cleaned["contexts"]) == {"runtime", "trace"}
        assert "extra" not in cleaned

    def test_an_event_named_after_a_query_loses_its_name(self):
        event = {"transaction": "SELECT * FROM cases_victim WHERE full_name = 'Bunga Lestari'"}
        assert "transaction" not in error_reporting.before_send(event, {})

    def test_a_user_known_by_name_only_is_dropped(self):
        event = {"user": {"id": "sri.rahayu@example.com", "username": "sri"}}
        assert "user" not in error_reporting.before_send(event, {})


class StartupTests:
    CODE = (
        "import json, sentry_sdk; client = sentry_sdk.get_client(); o = client.options; "
        "print(json.dumps({'on': sentry_sdk.is_initialized(), 'env': o.get('environment'), "
        "'body': o.get('max_request_body_size'), 'traces': o.get('traces_sample_rate'), "
        "'dc': o.get('data_collection'), 'scrubbed': getattr(o.get('before_send'), '__module__', None)}))"
    )

    def _options(self, env) -> dict:
        result = manage(env, "shell", "-c", self.CODE)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.strip().splitlines()[-1])

    def test_without_a_dsn_sentry_does_not_start(self, tmp_path):
        env = production_env(tmp_path, SENTRY_DSN=None)
        env.pop("SENTRY_DSN", None)
        assert self._options(env)["on"] is False
        assert self._options(production_env(tmp_path, SENTRY_DSN=""))["on"] is False  # as in .env.example

    def test_with_a_dsn_it_starts_collecting_nothing_personal(self, tmp_path):
        env = production_env(
            tmp_path, SENTRY_DSN="https://public@sentry.invalid/1", PERISAI_SENTRY_ENVIRONMENT="cilegon-produksi"
        )
        options = self._options(env)
        assert options["on"] is True and options["env"] == "cilegon-produksi"
        assert options["body"] == "never" and options["traces"] == 0.0
        assert options["scrubbed"] == "perisai.core.error_reporting"
        collected = options["dc"]
        assert collected["user_info"] is False and collected["stack_frame_variables"] is False
        assert collected["cookies"] == {"mode": "off"} and collected["url_query_params"] == {"mode": "off"}
        assert collected["http_bodies"] == [] and collected["database_query_data"] is False


class CapturingTransport(Transport):
    envelopes: list = []

    def capture_envelope(self, envelope):
        type(self).envelopes.append(envelope.serialize())


@pytest.fixture
def sentry_events():
    CapturingTransport.envelopes = []
    error_reporting.init(
        dsn="https://public@sentry.invalid/1", environment="test", release="perisai@test", transport=CapturingTransport
    )
    try:
        yield CapturingTransport.envelopes
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.get_global_scope().set_client(None)


@pytest.mark.django_db
@pytest.mark.urls("perisai.core.tests.outage_urls")
class EndToEndTests:
    def test_a_crash_with_a_name_in_its_message_and_locals_reaches_sentry_without_them(self, sentry_events, make_user):
        officer = make_user("intake_officer", email="petugas.intake@perisai.test")
        browser = Client(raise_request_exception=False, HTTP_USER_AGENT="Redmi Note 8", REMOTE_ADDR="10.20.30.40")
        browser.force_login(officer)
        browser.cookies["perisai_perangkat"] = "sessionid-secret"
        response = browser.post(f"/gagal/nama/?cari={CHILD}", {"nama": CHILD, "telepon": "081234567890"})
        assert response.status_code == 500
        sentry_sdk.flush()

        sent = b"\n".join(sentry_events).decode()
        assert "ValueError" in sent and "crash_with_a_name" in sent  # the report is there, and useful
        assert f'"id":"{officer.pk}"' in sent.replace(" ", "")
        assert response["X-Request-ID"] in sent
        for secret in (*PERSONAL, "petugas.intake", "cari", "Redmi"):
            assert secret not in sent, secret
