"""Who may see which statistics (the only place these rules live).

- The public page: everyone, no sign-in; aggregates only, small cells suppressed.
- The dashboard, the press summary and the SIMFONI recap (aggregates, no record): analysts and supervisors
  of the home office. Analysts see aggregates only (cases/policies.py); whether a number links to the case
  list is the case policy's answer, so a supervisor gets links and an analyst does not.
- The per-case SIMFONI listing and case-list exports are records: after re-authentication, audited.
  Supervisors get the cases they hold (not those opened by break-the-glass), with names (they already read those
  files); analysts get every counted case that is not restricted, without identity (initials at most), since
  re-keying SIMFONI and analysing needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from perisai.accounts.choices import Role
from perisai.cases.models import Case
from perisai.cases.policies import case_policy

if TYPE_CHECKING:
    from perisai.accounts.models import User


def _office(actor: User) -> bool:
    return bool(actor.is_authenticated and actor.is_active and actor.agency and actor.agency.is_home_office)


class StatsPolicy:
    def can(self, actor: User, action: str) -> bool:
        if not _office(actor):
            return False
        if action in {"dashboard", "simfoni_recap", "monthly_report"}:
            return actor.has_role(Role.ANALYST, Role.SUPERVISOR)
        if action in {"simfoni_listing", "export_cases"}:
            return actor.has_role(Role.ANALYST, Role.SUPERVISOR)
        if action == "see_identities":  # names, NIK, birth date, address in records taken out
            return actor.has_role(Role.SUPERVISOR)
        if action == "link_records":
            return case_policy.can(actor, "list") and actor.has_role(Role.SUPERVISOR)
        return False

    def record_scope(self, actor: User) -> QuerySet:
        """The cases whose rows a listing or export may hold for this person (the callers check the action).
        Never a restricted case reached through break-the-glass, and never a restricted case for an analyst: it is
        restricted because the child may be known to staff, and initials, age and kelurahan could point to them."""
        if self.can(actor, "see_identities"):
            return case_policy.held_without_grant(actor)
        if self.can(actor, "export_cases"):
            return Case.objects.filter(restricted=False)  # de-identified rows only: see the module's docstring
        return Case.objects.none()


stats_policy = StatsPolicy()


def stats_flags(actor: User) -> dict[str, bool]:
    return {
        "can_see_dashboard": stats_policy.can(actor, "dashboard"),
        "can_link_records": stats_policy.can(actor, "link_records"),
        "can_list_simfoni": stats_policy.can(actor, "simfoni_listing"),
        "can_export_cases": stats_policy.can(actor, "export_cases"),
        "can_see_identities": stats_policy.can(actor, "see_identities"),
    }
