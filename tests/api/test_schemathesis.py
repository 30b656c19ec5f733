"""schemathesis against the API's own OpenAPI document, in process (WSGI): every operation, as anonymous and with a
supervisor's write token, with generated input. Zero server errors, zero responses that break the schema (status
codes, content types, bodies). Runs in `make test`, so on SQLite and PostgreSQL in `.ci/run`."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from config.wsgi import application
from perisai.accounts.choices import Role
from perisai.api import services
from perisai.api.api import api
from perisai.api.models import TokenScope

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
schema.app = application  # in process: every call goes through the WSGI application, never a socket
FUZZ = settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
# Every check that the issue asks for stays on: no server error, and every status code, content type, header and
# body as documented. Two checks about what input is accepted are off, on purpose:
# - "schema-valid input is accepted": the report form has rules a JSON schema cannot state (a kecamatan or an
#   address; a reporter who gives a name gives a way to reach them), answered with a documented 400 naming the
#   fields, as the web form does;
# - "schema-violating input is rejected": it sends query parameters the API does not know, which are ignored, as
#   every Django view ignores them; invalid values of known parameters are still answered 422 (checked).
EXCLUDED = [schemathesis.checks.positive_data_acceptance, schemathesis.checks.negative_data_rejection]


@pytest.fixture(autouse=True)
def in_process(db, settings):
    settings.PERISAI_API_ANON_RATE = "100000/m"  # the throttle has its own test; here every example must get through
    settings.PERISAI_API_TOKEN_RATE = "100000/m"
    settings.ALLOWED_HOSTS = ["*"]
    # The WSGI handler closes the connection at the end of each request; inside a test's transaction it must stay
    # open (Django's own test Client does the same).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def supervisor_token(make_user) -> str:
    _token, secret = services.token_create(
        actor=make_user(Role.SUPERVISOR), name="schemathesis", scope=TokenScope.WRITE, days=1
    )
    return secret


@schema.parametrize()
@FUZZ
def test_anonymous(case):
    case.call_and_validate(excluded_checks=EXCLUDED)


@schema.parametrize()
@FUZZ
def test_with_a_supervisors_token(case, supervisor_token):
    headers = {"Authorization": f"Bearer {supervisor_token}"}
    case.call_and_validate(headers=headers, excluded_checks=EXCLUDED)
