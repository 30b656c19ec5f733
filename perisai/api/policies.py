"""What an API token may do (the only place these rules live). A token never gives more than its owner has: the
domain policies (case_policy, report_policy, referral_policy, stats_policy) decide what the owner sees, and the
token's scope decides whether it may write. Creating a token needs a fresh password (accounts' re-authentication)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from perisai.accounts.choices import Role
from perisai.api.models import ApiToken, TokenScope

if TYPE_CHECKING:
    from perisai.accounts.models import User

# Roles whose work the API serves; a person with none of them has nothing to read through it.
API_ROLES = (
    Role.INTAKE_OFFICER,
    Role.CASE_MANAGER,
    Role.SUPERVISOR,
    Role.PARTNER_STAFF,
    Role.ANALYST,
)
MAX_DAYS = 365


class ApiPolicy:
    def can(self, actor: User, action: str, token: ApiToken | None = None) -> bool:
        if not (actor.is_authenticated and actor.is_active):
            return False
        if action == "manage_tokens":
            return actor.has_role(*API_ROLES)
        if action == "revoke" and token is not None:
            return token.user_id == actor.pk
        return False

    def may_write(self, token: ApiToken | None) -> bool:
        return token is not None and token.scope == TokenScope.WRITE


api_policy = ApiPolicy()
