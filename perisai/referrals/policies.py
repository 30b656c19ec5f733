"""Who sees which referral (need-to-know, UU PDP 27/2022 Pasal 16).

- Office side: a referral is seen by whoever may see its case (the case policy decides), and changed by whoever
  may edit the case; a supervisor may send without a recorded basis for sharing, with a reason.
- Partner side: partner staff see the referrals to their own agency only, never a revoked one, and only what
  was shared (the snapshot). They answer, ask, record actions and complete.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from perisai.accounts.choices import Role
from perisai.accounts.policies import works_for_partner, works_in_office
from perisai.cases.policies import case_policy
from perisai.core.policies import NOTHING, ModelPolicy
from perisai.referrals.choices import OPEN_REFERRAL_STATUSES, REFERRAL_TRANSITIONS, ReferralStatus, Side
from perisai.referrals.models import Referral

if TYPE_CHECKING:
    from perisai.accounts.models import User

OFFICE_CASE_ROLES = (Role.CASE_MANAGER, Role.SUPERVISOR)


def side_of(actor: User) -> str | None:
    # A deactivated agency is no longer a partner: its staff see nothing (their accounts may still be active).
    if not actor.is_authenticated or actor.agency is None or not actor.agency.is_active:
        return None
    if works_in_office(actor, *OFFICE_CASE_ROLES):
        return Side.OFFICE
    return Side.PARTNER if works_for_partner(actor) else None


def sides_reaching(to: str) -> set[str]:
    return {side for (_frm, target), side in REFERRAL_TRANSITIONS.items() if target == to}


class ReferralPolicy(ModelPolicy):
    model = Referral

    def scope(self, actor: User) -> Q:
        side = side_of(actor)
        if side == Side.OFFICE:
            return Q(case__in=case_policy.visible_to(actor).values("pk"))
        if side == Side.PARTNER:
            # Not once revoked, not after the case was anonymised, and not long after the work was completed.
            window = timezone.now() - dt.timedelta(days=settings.PERISAI_REFERRAL_PARTNER_DAYS_AFTER_COMPLETION)
            return (
                Q(agency=actor.agency, case__anonymised_at__isnull=True)
                & ~Q(status=ReferralStatus.REVOKED)
                & ~Q(status=ReferralStatus.COMPLETED, completed_at__lt=window)
            )
        return NOTHING

    def in_scope(self, actor: User, referral: Referral) -> bool:
        # One page asks this for every step it might offer: answered once per reader and loaded referral.
        # Services lock and reload the referral before a change, so a decision is never taken on a stale answer.
        seen = referral.__dict__.setdefault("_in_scope_for", {})
        if actor.pk not in seen:
            seen[actor.pk] = self.visible_to(actor).filter(pk=referral.pk).exists()
        return seen[actor.pk]

    def can(self, actor: User, action: str, obj=None) -> bool:
        if action == "response_times":  # counts per agency, no record: analysts too
            return works_in_office(actor, *OFFICE_CASE_ROLES, Role.ANALYST)
        side = side_of(actor)
        if side is None:
            return False
        if action == "list":
            return True
        if action == "refer":  # obj is the case
            return side == Side.OFFICE and obj is not None and case_policy.can(actor, "edit", obj)
        if action == "send_without_basis":
            return side == Side.OFFICE and actor.has_role(Role.SUPERVISOR)
        if obj is None or not self.in_scope(actor, obj):
            return False
        if action == "view":
            return True
        if action.startswith("to:"):
            return self.may_transition(actor, obj, action[3:])
        if side == Side.OFFICE:
            if action == "answer":
                return self._manages(actor, obj) and obj.status in OPEN_REFERRAL_STATUSES
            return False
        if action == "see_everything_shared":  # a declined referral keeps only the minimum and the thread
            return obj.status != ReferralStatus.DECLINED
        if action == "ask":
            return obj.status in OPEN_REFERRAL_STATUSES
        if action == "record_action":
            return obj.status == ReferralStatus.ACCEPTED
        return False

    def may_transition(self, actor: User, referral: Referral, to: str) -> bool:
        side = REFERRAL_TRANSITIONS.get((referral.status, to))
        if side is None or side != side_of(actor) or not self.in_scope(actor, referral):
            return False
        if side == Side.OFFICE:
            return self._manages(actor, referral)
        return True

    def _manages(self, actor: User, referral: Referral) -> bool:
        """The case's manager or a supervisor who can see it; also on a closed case, because taking back what
        was shared, or answering a partner, only ever reduces or clarifies disclosure."""
        return referral.case.case_manager_id == actor.pk or actor.has_role(Role.SUPERVISOR)


referral_policy = ReferralPolicy()
