"""Structured logs: a request id on every line and response, one access line per request naming a route and an
account number, never personal data (the safety net included), JSON in production."""

from __future__ import annotations

import io
import json
import logging
import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from perisai.core import logs
from perisai.core.tests.test_settings import manage, production_env

NAME, EMAIL, PHONE, NIK = "Bunga Lestari", "sri.rahayu@example.com", "0812-3456-7890", "3672011203150001"
HEX32 = re.compile(r"^[0-9a-f]{32}$")


@pytest.fixture
def json_lines():
    """What the production formatter writes for every record while the test runs, parsed line by line."""
    stream = io.StringIO()
    config = logs.logging_config(fmt="json", level="INFO", exception_messages=False)["formatters"]["structured"]
    factory = config.pop("()")
    handler = logging.StreamHandler(stream)
    handler.setFormatter(factory(**config))
    root = logging.getLogger()
    root.addHandler(handler)

    def read() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]

    read.raw = stream.getvalue
    try:
        yield read
    finally:
        root.removeHandler(handler)


def access_lines(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line.get("logger") == "perisai.request"]


@pytest.mark.django_db
class RequestIdTests:
    def test_each_response_carries_a_fresh_id_that_every_line_of_the_request_carries_too(self, json_lines):
        first = Client().get(reverse("core:landing"))
        second = Client().get(reverse("core:landing"))
        assert HEX32.match(first["X-Request-ID"]) and first["X-Request-ID"] != second["X-Request-ID"]
        assert [line["request_id"] for line in access_lines(json_lines())] == [
            first["X-Request-ID"],
            second["X-Request-ID"],
        ]

    def test_the_id_from_our_proxy_is_kept(self, settings, json_lines):
        settings.PERISAI_TRUSTED_PROXIES = 1
        nginx_id = uuid.uuid4().hex
        response = Client().get(reverse("core:landing"), headers={"x-request-id": nginx_id})
        assert response["X-Request-ID"] == nginx_id
        assert access_lines(json_lines())[0]["request_id"] == nginx_id

    @pytest.mark.parametrize(
        "offered", ["short", "a" * 65, "abc def 0123456789abcdef", "0123456789abcdef\nlevel=critical", "<script>x"]
    )
    def test_an_id_that_does_not_look_like_one_is_replaced(self, settings, offered):
        settings.PERISAI_TRUSTED_PROXIES = 1
        response = Client().get(reverse("core:landing"), headers={"x-request-id": offered})
        assert HEX32.match(response["X-Request-ID"])

    def test_without_a_trusted_proxy_the_client_cannot_choose_its_id(self, settings):
        settings.PERISAI_TRUSTED_PROXIES = 0
        offered = uuid.uuid4().hex
        assert Client().get(reverse("core:landing"), headers={"x-request-id": offered})["X-Request-ID"] != offered


@pytest.mark.django_db
class AccessLineTests:
    def test_one_line_with_the_route_never_the_path_or_the_query_string(self, json_lines):
        Client().get(f"{reverse('reports_public:check')}?kode=LPR-ABCD-EFGH&cari={NAME}")
        (line,) = access_lines(json_lines())
        assert line["method"] == "GET" and line["route"] == "lapor/cek/" and line["status"] == 200
        assert isinstance(line["duration_ms"], float) and line["user_id"] is None
        assert line["level"] == "info" and line["timestamp"].endswith("Z")
        assert "Bunga" not in json_lines.raw() and "LPR-ABCD" not in json_lines.raw()

    def test_a_signed_in_person_is_their_account_number_and_nothing_else(self, make_user, json_lines):
        user = make_user("intake_officer", email="petugas.intake@perisai.test")
        browser = Client(raise_request_exception=False)
        browser.force_login(user)
        file_id = uuid.uuid4()
        browser.get(reverse("core:attachment_download", args=[file_id]))
        (line,) = access_lines(json_lines())
        assert line["route"] == "staf/berkas/<uuid:public_id>/" and line["status"] == 404
        assert line["user_id"] == user.pk
        for secret in ("petugas.intake", str(file_id), user.full_name):
            assert secret not in json_lines.raw()

    def test_static_files_are_not_logged(self, json_lines, settings):
        Client().get(f"/{settings.STATIC_URL.strip('/')}/css/perisai.css")
        assert access_lines(json_lines()) == []

    def test_an_unknown_url_has_no_route(self, json_lines):
        Client().get("/tidak-ada/3672011203150001/")
        (line,) = access_lines(json_lines())
        assert line["route"] is None and line["status"] == 404


class SafetyNetTests:
    @pytest.mark.parametrize(
        "key",
        [
            "email",
            "reporter_email",
            "child_name",
            "username",
            "phone",
            "reporter_phone",
            "address",
            "location_detail_address",
            "description",
            "perpetrator_description",
            "narrative",
            "body",
            "password",
            "token",
            "csrf_token",
            "cookie",
            "session_key",
            "query",
            "search_terms",
            "client_ip",
            "pin",
            "nik",
            "user",
            "request",
            "filename",
            "user_agent",
        ],
    )
    def test_fields_named_like_personal_data_are_blanked(self, key):
        event = logs.drop_personal_data(None, "info", {"event": "x", key: "Sri Rahayu"})
        assert event[key] == logs.REMOVED

    def test_what_this_project_logs_is_kept(self):
        safe = {
            "event": "request",
            "request_id": "0123456789abcdef0123456789abcdef",
            "route": "staf/kasus/<uuid:public_id>/",
            "status": 200,
            "duration_ms": 12.5,
            "user_id": 7,
            "report_id": 42,
            "count": 3,
            "error": "django.db.utils.OperationalError",
        }
        assert logs.drop_personal_data(None, "info", dict(safe)) == safe

    def test_nested_fields_and_texts_that_look_personal_are_blanked(self):
        event = logs.drop_personal_data(
            None,
            "info",
            {
                "event": f"sent to {EMAIL}, call {PHONE} or +62 812 3456 7890, NIK {NIK}",
                "details": {"reporter": {"name": NAME}, "items": [{"email": EMAIL}, "ok"]},
                "report": "7f0c2a4e-5b1d-4c3e-9a8b-0123456789ab",
            },
        )
        text = json.dumps(event)
        for secret in (EMAIL, "812", NIK, NAME):
            assert secret not in text
        assert event["details"]["items"][1] == "ok"
        assert event["report"] == "7f0c2a4e-5b1d-4c3e-9a8b-0123456789ab"  # an opaque id is not personal data

    def test_records_of_any_logger_pass_through_it(self, json_lines):
        logging.getLogger("somelibrary").warning(
            "mail to %s failed", EMAIL, extra={"recipient_name": NAME, "attempt": 2}
        )
        (line,) = json_lines()
        assert line["event"] == f"mail to {logs.REMOVED} failed"
        assert line["recipient_name"] == logs.REMOVED and line["attempt"] == 2
        assert line["logger"] == "somelibrary" and line["level"] == "warning"

    def test_exceptions_keep_their_type_and_frames_not_their_message(self, json_lines):
        try:
            raise ValueError(f"Nama anak {NAME} tidak cocok dengan NIK {NIK}")
        except ValueError:
            logging.getLogger("perisai.test").exception("import row failed")
        (line,) = json_lines()
        assert line["exception"]["type"] == "builtins.ValueError"
        assert any("test_exceptions_keep_their_type" in frame for frame in line["exception"]["frames"])
        assert NAME not in json_lines.raw() and NIK not in json_lines.raw()


class SettingsTests:
    def test_production_writes_json_lines_and_no_tracebacks_by_mail(self, tmp_path):
        code = (
            "import json, logging; from django.conf import settings as s; from django.utils.log import "
            "AdminEmailHandler; handlers = logging.getLogger('django').handlers + logging.getLogger().handlers; "
            "print(json.dumps({'format': s.PERISAI_LOG_FORMAT, 'admins': s.ADMINS, "
            "'mail': any(isinstance(h, AdminEmailHandler) for h in handlers)})); "
            "logging.getLogger('perisai.check').warning('hello %s', 'sri@example.com', extra={'child_name': 'Bunga'})"
        )
        env = production_env(tmp_path, PERISAI_ADMINS="Admin Perisai <admin@cilegon.example>, ops@cilegon.example")
        result = manage(env, "shell", "-c", code)
        assert result.returncode == 0, result.stderr
        printed = json.loads(result.stdout.strip().splitlines()[-1])
        assert printed == {
            "format": "json",
            "admins": ["Admin Perisai <admin@cilegon.example>", "ops@cilegon.example"],
            "mail": False,
        }
        line = json.loads(result.stderr.strip().splitlines()[-1])
        assert line["event"] == "hello [removed]" and line["child_name"] == "[removed]"
        assert line["logger"] == "perisai.check" and "Bunga" not in result.stderr

    def test_development_writes_lines_for_people(self, tmp_path):
        env = production_env(tmp_path, PERISAI_ENV="development")
        result = manage(env, "shell", "-c", "from django.conf import settings as s; print(s.PERISAI_LOG_FORMAT)")
        assert result.stdout.strip().splitlines()[-1] == "console"

    def test_an_unknown_format_or_admin_address_refuses_to_start(self, tmp_path):
        assert "PERISAI_LOG_FORMAT" in manage(production_env(tmp_path, PERISAI_LOG_FORMAT="xml"), "check").stderr
        assert "PERISAI_ADMINS" in manage(production_env(tmp_path, PERISAI_ADMINS="Admin Perisai"), "check").stderr
