"""Who sees and records outreach operations.

The office's intake and case staff see every operation. Satpol PP and Dinas Sosial run most street operations
themselves: their staff record their own operations and the children found, and see the operations their agency
took part in, nothing else. Turning children into reports and cases stays with the office (triage rules)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from perisai.accounts.choices import AgencyKind, Role
from perisai.accounts.policies import works_for_partner, works_in_office
from perisai.core.policies import NOTHING, ModelPolicy
from perisai.outreach.models import OutreachOperation

if TYPE_CHECKING:
    from perisai.accounts.models import User

OUTREACH_ROLES = (Role.INTAKE_OFFICER, Role.CASE_MANAGER, Role.SUPERVISOR)
OUTREACH_WRITERS = (Role.INTAKE_OFFICER, Role.SUPERVISOR)  # they record reports (same rules as intake)


# Partner agencies whose staff run operations of their own (penertiban, penjangkauan anak jalanan).
OPERATING_AGENCIES = (AgencyKind.SATPOL_PP, AgencyKind.SOCIAL)


def _operating_partner(actor: User) -> bool:
    return works_for_partner(actor) and actor.agency.kind in OPERATING_AGENCIES


class OutreachPolicy(ModelPolicy):
    model = OutreachOperation

    def scope(self, actor: User) -> Q:
        if works_in_office(actor, *OUTREACH_ROLES):
            return Q()
        if _operating_partner(actor):
            return Q(agencies=actor.agency)
        return NOTHING

    def can(self, actor: User, action: str, obj=None) -> bool:
        office = works_in_office(actor, *OUTREACH_ROLES)
        partner = _operating_partner(actor)
        if action == "list":
            return office or partner
        if action == "create":
            return works_in_office(actor, *OUTREACH_WRITERS) or partner
        if obj is None:
            return False
        if action == "view":
            return office or (partner and obj.agencies.filter(pk=actor.agency_id).exists())
        if action == "add_child":
            return works_in_office(actor, *OUTREACH_WRITERS) or (
                partner and obj.agencies.filter(pk=actor.agency_id).exists()
            )
        if action in {"make_report", "make_cases"}:
            return works_in_office(actor, *OUTREACH_WRITERS)
        return False


outreach_policy = OutreachPolicy()
