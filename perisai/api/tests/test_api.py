"""The REST API: tokens (hashed, scoped, expiring, revocable, made after re-authentication), the permission matrix of
every endpoint for every role and token scope (out of scope is 404, no token 401), audit, and the public figures."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import reauthenticate
from perisai.accounts.choices import Role
from perisai.accounts.testing import NO_ROLE, OTHER_PARTNER, matrix_users
from perisai.api import services
from perisai.api.models import ApiToken, TokenScope
from perisai.api.policies import api_policy
from perisai.audit.choices import AuditAction
from perisai.audit.models import AuditEvent
from perisai.cases.models import CaseNote
from perisai.cases.tests.factories import open_case
from perisai.referrals.tests.helpers import refer
from perisai.reports import services as report_services

pytestmark = pytest.mark.django_db
API = "/api/v1"
REPORT = {
    "urgent": False,
    "harms": ["hit"],
    "narrative": "Anak tetangga sering dipukul.",
    "location_detail": "Dekat masjid",
    "reporter_anonymous": True,
    "child_age": 9,
}


def bearer(user, scope=TokenScope.READ) -> Client:
    _token, secret = services.token_create(actor=user, name="uji", scope=scope, days=30)
    return Client(headers={"Authorization": f"Bearer {secret}"})


@pytest.fixture
def world(make_user, police_agency):
    users = matrix_users(make_user, partner_agency=police_agency)
    case = open_case(make_user, manager=users[Role.CASE_MANAGER])
    referral = refer(users[Role.CASE_MANAGER], case, police_agency)
    report = report_services.report_submit(
        actor=None, fields={**REPORT, "harms": ["touched"]}, token=str(uuid.uuid4())
    ).report
    return {"users": users, "case": case, "referral": referral, "report": report}


def endpoints(world):
    """(method, path, body, roles allowed, scope needed) for every endpoint that needs a token."""
    case, referral, report = world["case"], world["referral"], world["report"]
    intake = {Role.INTAKE_OFFICER, Role.SUPERVISOR}
    office_cases = {Role.CASE_MANAGER, Role.SUPERVISOR}
    return [
        ("get", "/reports", None, intake, TokenScope.READ),
        ("get", f"/reports/{report.public_id}", None, intake, TokenScope.READ),
        ("get", "/cases", None, office_cases, TokenScope.READ),
        ("get", f"/cases/{case.public_id}", None, office_cases, TokenScope.READ),
        ("post", f"/cases/{case.public_id}/notes", {"body": "Dihubungi lewat API."}, office_cases, TokenScope.WRITE),
        # Any partner may list referrals: another agency's list is empty (checked below), never another's rows.
        (
            "get",
            "/referrals",
            None,
            {Role.CASE_MANAGER, Role.SUPERVISOR, Role.PARTNER_STAFF, OTHER_PARTNER},
            TokenScope.READ,
        ),
        (
            "get",
            f"/referrals/{referral.public_id}",
            None,
            {Role.CASE_MANAGER, Role.SUPERVISOR, Role.PARTNER_STAFF},
            TokenScope.READ,
        ),
        ("get", "/statistics?start=2024-01-01&end=2024-12-31", None, {Role.ANALYST, Role.SUPERVISOR}, TokenScope.READ),
    ]


def call(client: Client, method: str, path: str, body):
    if method == "post":
        return client.post(API + path, body, content_type="application/json")
    return client.get(API + path)


def test_the_permission_matrix_of_every_endpoint_for_every_role_and_scope(world):
    for method, path, body, allowed, needed in endpoints(world):
        assert call(Client(), method, path, body).status_code == 401, ("anonymous", path)
        bad = Client(headers={"Authorization": "Bearer psi_0000000000_nope"})
        assert call(bad, method, path, body).status_code == 401, ("wrong token", path)
        for label, user in world["users"].items():
            if not api_policy.can(user, "manage_tokens"):  # no role, or the administrator: no token at all
                with pytest.raises(Http404):
                    services.token_create(actor=user, name="uji", scope=TokenScope.READ, days=30)
                continue
            for scope in TokenScope.values:
                response = call(bearer(user, scope), method, path, body)
                if label in allowed and (needed == TokenScope.READ or scope == TokenScope.WRITE):
                    expected = {201} if method == "post" else {200}
                elif label in allowed:
                    expected = {403}  # the owner may, the read-only token may not
                else:
                    expected = {404}
                assert response.status_code in expected, (path, label, scope, response.status_code)
    assert bearer(world["users"][OTHER_PARTNER]).get(API + "/referrals").json()["count"] == 0
    assert bearer(world["users"][Role.PARTNER_STAFF]).get(API + "/referrals").json()["count"] == 1
    assert NO_ROLE in world["users"]


def test_opening_records_is_audited_and_lists_carry_no_names(world):
    supervisor = world["users"][Role.SUPERVISOR]
    client = bearer(supervisor)
    listing = client.get(API + "/cases").json()
    assert listing["count"] == 1 and "Anak Uji" not in str(listing)
    before = AuditEvent.objects.filter(actor=supervisor, action=AuditAction.RECORD_VIEWED).count()
    detail = client.get(f"{API}/cases/{world['case'].public_id}").json()
    assert detail["victim_list"][0]["name"] == "Anak Uji"
    assert AuditEvent.objects.filter(actor=supervisor, action=AuditAction.RECORD_VIEWED).count() == before + 1
    assert AuditEvent.objects.filter(actor=supervisor, action=AuditAction.API_TOKEN_CREATED).exists()


def test_the_report_list_decrypts_nothing(world):
    from unittest import mock

    from perisai.core import crypto

    client = bearer(world["users"][Role.INTAKE_OFFICER])
    with mock.patch.object(crypto, "decrypt", wraps=crypto.decrypt) as decrypt:
        listing = client.get(API + "/reports").json()
    assert listing["items"][0]["code"] == world["report"].tracking_code
    assert decrypt.call_count == 0  # the list shows no name or story, so none is read (UU PDP: only what is needed)


def test_a_write_goes_through_the_case_service(world):
    manager = world["users"][Role.CASE_MANAGER]
    response = bearer(manager, TokenScope.WRITE).post(
        f"{API}/cases/{world['case'].public_id}/notes",
        {"body": "  Kunjungan rumah.  "},
        content_type="application/json",
    )
    assert response.status_code == 201
    note = CaseNote.objects.get(public_id=response.json()["id"])
    assert note.body == "Kunjungan rumah." and note.author == manager
    blank = bearer(manager, TokenScope.WRITE).post(
        f"{API}/cases/{world['case'].public_id}/notes", {"body": "   "}, content_type="application/json"
    )
    assert blank.status_code == 400 and CaseNote.objects.count() == 1


def test_tokens_are_stored_hashed_and_stop_when_expired_revoked_or_their_owner_leaves(world):
    analyst = world["users"][Role.ANALYST]
    token, secret = services.token_create(actor=analyst, name="skrip", scope=TokenScope.READ, days=1)
    # The secret part is URL-safe base64 and may itself contain "_": split at most twice.
    secret_part = secret.split("_", 2)[2]
    assert len(secret_part) >= 40 and secret_part not in token.secret_hash and len(token.secret_hash) == 64
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    path = API + "/statistics?start=2024-01-01&end=2024-12-31"
    assert client.get(path).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(path).status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + dt.timedelta(days=1))
    services.token_revoke(actor=analyst, token=token)
    assert client.get(path).status_code == 401


def test_public_endpoints_follow_the_forms_rules(world, settings):
    client = Client()
    challenge = client.get(API + "/public/altcha").json()
    assert {"parameters", "signature"} <= set(challenge)  # ALTCHA v2, as the form's widget gets it
    token = str(uuid.uuid4())
    sent = client.post(API + "/public/reports", {**REPORT, "token": token}, content_type="application/json")
    assert sent.status_code == 201 and sent.json()["pin"], sent.json()
    receipt = sent.json()
    again = client.post(API + "/public/reports", {**REPORT, "token": token}, content_type="application/json")
    assert again.json()["code"] == receipt["code"]  # the same token finds the same report
    unknown = client.post(API + "/public/reports", {**REPORT, "token": str(uuid.uuid4()), "harms": ["x"]},
                          content_type="application/json")  # fmt: skip
    assert unknown.status_code == 422  # not a harm the schema lists
    nowhere = {**REPORT, "token": str(uuid.uuid4()), "location_detail": ""}
    bad = client.post(API + "/public/reports", nowhere, content_type="application/json")
    assert bad.status_code == 400 and "kecamatan" in bad.json()["errors"]  # the form's own rule, named
    status = client.post(API + "/public/reports/status", {"code": receipt["code"], "pin": receipt["pin"]},
                         content_type="application/json")  # fmt: skip
    assert status.status_code == 200 and status.json()["status"] == "new"
    wrong = client.post(API + "/public/reports/status", {"code": receipt["code"], "pin": "000000"},
                        content_type="application/json")  # fmt: skip
    assert wrong.status_code == 404
    settings.PERISAI_REPORTS_HARD_LIMIT = 0
    flood = client.post(
        API + "/public/reports", {**REPORT, "token": str(uuid.uuid4())}, content_type="application/json"
    )
    assert flood.status_code == 429


def test_the_public_figures_are_the_public_pages_and_tokens_do_not_unlock_more(world):
    for client in (Client(), bearer(world["users"][Role.INTAKE_OFFICER]), bearer(world["users"][Role.ANALYST])):
        response = client.get(API + "/statistics/public?year=2023")
        assert response.status_code == 200
        body = response.json()
        assert body["published"] is True and body["victims"] == "0"
    assert Client().get(API + "/statistics/public?year=2100").status_code == 404


def test_the_docs_and_the_spec_are_served_without_a_cdn():
    client = Client()
    spec = client.get(API + "/openapi.json")
    assert spec.status_code == 200 and "/api/v1/cases" in spec.json()["paths"]

    def no_key_twice(pairs):  # Swagger UI refused the spec when "429" came both as a number and as text
        keys = [key for key, _value in pairs]
        assert len(keys) == len(set(keys)), keys
        return dict(pairs)

    operations = json.loads(spec.content, object_pairs_hook=no_key_twice)["paths"]["/api/v1/cases"]
    assert {"401", "422", "429"} <= set(operations["get"]["responses"])
    docs = client.get(API + "/docs")
    assert docs.status_code == 200 and "cdn" not in docs.content.decode().lower()


def test_making_a_token_asks_for_the_password_again_and_shows_the_secret_once(make_user):
    user = make_user(Role.ANALYST)
    client = Client()
    client.force_login(user)
    url = reverse("api_tokens:list")
    form = {"name": "laptop", "scope": "read", "days": "30"}
    first = client.post(url, form)
    assert first.status_code == 302 and "reauthenticate" in first["Location"]
    reauthenticate(client)
    made = client.post(url, form)
    assert made.status_code == 201 and made["Cache-Control"] == "no-store"
    secret = made.context["secret"]
    assert secret.startswith("psi_") and secret not in client.get(url).content.decode()
    assert client.post(url, {**form, "days": "999"}).status_code == 400
    token = ApiToken.objects.get(user=user)
    other = Client()
    other.force_login(make_user(Role.ANALYST))
    assert other.post(reverse("api_tokens:revoke", args=[token.public_id])).status_code == 404
    assert client.post(reverse("api_tokens:revoke", args=[token.public_id])).status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_callers_are_throttled_per_address_and_per_token(world, settings):
    settings.PERISAI_API_ANON_RATE = "2/m"
    settings.PERISAI_API_TOKEN_RATE = "3/m"
    anonymous = Client()
    codes = [anonymous.get(API + "/statistics/public?year=2023").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    analyst = bearer(world["users"][Role.ANALYST])
    codes = [analyst.get(API + "/statistics?start=2023-01-01&end=2023-12-31").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
