"""Who sees and records outreach operations: office records, kept by the office's intake and case staff.
The children found become reports through the same intake rules as every other report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from perisai.accounts.choices import Role
from perisai.accounts.policies import works_in_office
from perisai.core.policies import NOTHING, ModelPolicy
from perisai.outreach.models import OutreachOperation

if TYPE_CHECKING:
    from perisai.accounts.models import User

OUTREACH_ROLES = (Role.INTAKE_OFFICER, Role.CASE_MANAGER, Role.SUPERVISOR)
OUTREACH_WRITERS = (Role.INTAKE_OFFICER, Role.SUPERVISOR)  # they record reports (same rules as intake)


class OutreachPolicy(ModelPolicy):
    model = OutreachOperation

    def scope(self, actor: User) -> Q:
        return Q() if works_in_office(actor, *OUTREACH_ROLES) else NOTHING

    def can(self, actor: User, action: str, obj=None) -> bool:
        if action in {"list", "view"}:
            return works_in_office(actor, *OUTREACH_ROLES)
        if action in {"create", "add_child", "make_report"}:
            return works_in_office(actor, *OUTREACH_WRITERS)
        return False


outreach_policy = OutreachPolicy()
