"""Who sees reports: the office's intake officers and supervisors (need-to-know).

Partner staff may hand a report over to the office ("refer_in") but do not read the inbox. Analysts never
see a record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from perisai.accounts.choices import Role
from perisai.core.policies import NOTHING, ModelPolicy
from perisai.reports.models import Report

if TYPE_CHECKING:
    from perisai.accounts.models import User

INTAKE_ROLES = (Role.INTAKE_OFFICER, Role.SUPERVISOR)


class ReportPolicy(ModelPolicy):
    model = Report

    def _intake(self, actor: User) -> bool:
        return (
            actor.is_authenticated
            and actor.agency is not None
            and actor.agency.is_home_office
            and (actor.has_role(*INTAKE_ROLES))
        )

    def scope(self, actor: User) -> Q:
        return Q() if self._intake(actor) else NOTHING

    def can(self, actor: User, action: str, obj: Report | None = None) -> bool:
        if action == "refer_in":
            # A partner (police who heard first, a school, a puskesmas) hands a child over to the office through
            # the same intake rules; they do not read the inbox afterwards.
            return (
                actor.is_authenticated
                and actor.agency is not None
                and not actor.agency.is_home_office
                and actor.has_role(Role.PARTNER_STAFF)
            )
        if not self._intake(actor):
            return False
        if action in {"view", "create", "message", "attach", "triage"}:
            # Triage: open a case from a report, attach it to a case, or close it (cases asks here too).
            return True
        if action == "record_first_contact":
            return obj is not None and obj.first_contact_at is None
        return False


report_policy = ReportPolicy()
