"""The permission matrix every view's tests run: who gets the page, who is sent to sign in, who gets 404.

Out of scope is always 404, never 403: a 403 would confirm that a child's file exists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.test import Client
from django.urls import reverse

from perisai.accounts import services
from perisai.accounts.choices import AgencyKind, Role
from perisai.audit.models import AuditEvent

ANONYMOUS = "anonymous"
NO_ROLE = "no_role"
OTHER_PARTNER = "other_partner"  # partner staff of an agency nothing was shared with
ALL_ROLES = frozenset(Role.values)
EVERY_SIGNED_IN = ALL_ROLES | {NO_ROLE, OTHER_PARTNER}


def matrix_users(make_user, partner_agency=None) -> dict[str, object]:
    """One user per role (partner staff in `partner_agency`), one with no role, one of another partner."""
    other_agency = services.agency_save(actor=None, name="Instansi mitra lain (uji)", kind=AgencyKind.SOCIAL)
    users = {role: make_user(role) for role in Role.values if role != Role.PARTNER_STAFF}
    users[Role.PARTNER_STAFF] = make_user(Role.PARTNER_STAFF, **({"agency": partner_agency} if partner_agency else {}))
    users[NO_ROLE] = make_user()
    users[OTHER_PARTNER] = make_user(Role.PARTNER_STAFF, agency=other_agency)
    return users


def assert_access(
    url: str,
    *,
    users: dict[str, object],
    allowed: Iterable[str],
    method: str = "get",
    data: dict | Callable[[], dict] | None = None,
    ok_status: Iterable[int] = (200,),
    audit_action: str | None = None,
    public: bool = False,
) -> None:
    """Request `url` as anonymous and as every user in `users`; `allowed` lists the labels that get through.

    - anonymous: sent to sign in (or, with public=True, served like everyone);
    - everyone not allowed: 404;
    - everyone allowed: a status in ok_status and, with audit_action, one new audit event by them.
    `data` may be a callable, for forms whose data must be fresh for each request.
    """
    allowed = set(allowed)
    ok_status = set(ok_status)

    def send(client: Client):
        payload = data() if callable(data) else data
        return getattr(client, method)(url, payload or {})

    anonymous = send(Client())
    if public:
        assert anonymous.status_code in ok_status, f"anonymous: {anonymous.status_code}"
    else:
        assert anonymous.status_code == 302, f"anonymous: expected a redirect, got {anonymous.status_code}"
        assert anonymous["Location"].startswith(reverse("account_login")), anonymous["Location"]

    for label, user in users.items():
        client = Client()
        client.force_login(user)
        before = AuditEvent.objects.filter(actor=user).count()
        response = send(client)
        if label in allowed:
            assert response.status_code in ok_status, f"{label}: expected {ok_status}, got {response.status_code}"
            if audit_action:
                assert AuditEvent.objects.filter(actor=user, action=audit_action).count() > 0, f"{label}: no audit"
                assert AuditEvent.objects.filter(actor=user).count() > before
        else:
            assert response.status_code == 404, f"{label}: expected 404, got {response.status_code}"


def one_at_a_time(users, allowed, make_url, data=None):
    """State-changing steps: each allowed user acts on a fresh referral, after everyone else was refused."""
    for label in allowed:
        others = {key: user for key, user in users.items() if key not in allowed}
        assert_access(
            make_url(),
            users={**others, label: users[label]},
            allowed={label},
            method="post",
            data=data,
            ok_status=(302,),
        )
