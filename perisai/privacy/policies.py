"""Who keeps the data-protection registers.

Subject requests name a child and their family: supervisors (Kepala UPTD PPA) keep them, as the office's
data controller. Breach records name no child; supervisors and administrators (who handle the technical
side of most breaches) keep them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from perisai.accounts.choices import Role
from perisai.core.policies import NOTHING, ModelPolicy
from perisai.privacy.choices import SUBJECT_REQUEST_TRANSITIONS
from perisai.privacy.models import Breach, SubjectRequest

if TYPE_CHECKING:
    from perisai.accounts.models import User


def _home_office(actor: User) -> bool:
    return actor.agency is not None and actor.agency.is_home_office


class SubjectRequestPolicy(ModelPolicy):
    model = SubjectRequest

    def scope(self, actor: User) -> Q:
        return Q() if _home_office(actor) and actor.has_role(Role.SUPERVISOR) else NOTHING

    def can(self, actor: User, action: str, obj: SubjectRequest | None = None) -> bool:
        if not (_home_office(actor) and actor.has_role(Role.SUPERVISOR)):
            return False
        if action in {"view", "create"}:
            return True
        if action.startswith("to:") and obj is not None:
            return action[3:] in SUBJECT_REQUEST_TRANSITIONS[obj.status]
        return False


class BreachPolicy(ModelPolicy):
    model = Breach

    def scope(self, actor: User) -> Q:
        return Q() if self._keeper(actor) else NOTHING

    def can(self, actor: User, action: str, obj: Breach | None = None) -> bool:
        return self._keeper(actor) and action in {"view", "create", "notify", "close"}

    def _keeper(self, actor: User) -> bool:
        return _home_office(actor) and actor.has_role(Role.SUPERVISOR, Role.ADMINISTRATOR)


subject_request_policy = SubjectRequestPolicy()
breach_policy = BreachPolicy()
