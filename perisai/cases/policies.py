"""Need-to-know access to case files (UU 11/2012 SPPA Pasal 19: a child's identity is secret).

- A case manager sees the cases assigned to them.
- A supervisor sees the office's cases, except restricted ones not assigned to them; those open only through
  break-the-glass (a typed reason, time-limited, flagged to every supervisor and in the audit trail).
- Intake officers triage reports into cases but do not read case files; partners see referrals only
  (issue 6); analysts see aggregates only; administrators manage accounts, not case files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from perisai.accounts.choices import Role
from perisai.cases import plan
from perisai.cases.choices import TRANSITIONS, ApprovalDecision, ApprovalKind, CaseStatus
from perisai.cases.models import Case, CaseAccessGrant, CaseApproval, CaseTeamMember
from perisai.core.policies import NOTHING, ModelPolicy
from perisai.reports.policies import report_policy

if TYPE_CHECKING:
    from perisai.accounts.models import User


def _office(actor: User) -> bool:
    return actor.is_authenticated and actor.agency is not None and actor.agency.is_home_office


class CasePolicy(ModelPolicy):
    model = Case

    def scope(self, actor: User) -> Q:
        """Team membership and grants are EXISTS subqueries, not joins: a case is one row however many
        members or grants it has, so no list needs DISTINCT (which made PostgreSQL sort and compare every
        column of every visible case, the encrypted text included)."""
        if not _office(actor):
            return NOTHING
        team = Exists(CaseTeamMember.objects.filter(case=OuterRef("pk"), user=actor))
        if actor.has_role(Role.SUPERVISOR):
            granted = Exists(
                CaseAccessGrant.objects.filter(case=OuterRef("pk"), user=actor, expires_at__gt=timezone.now())
            )
            return Q(restricted=False) | Q(case_manager=actor) | team | granted
        if actor.has_role(Role.CASE_MANAGER):
            return Q(case_manager=actor) | team
        return NOTHING

    def held_without_grant(self, actor: User):
        """The cases this person holds by their place in them, without break-the-glass grants: what may be taken
        out in bulk (a listing, an export). A grant is for reading one file in an emergency, never for copying
        restricted files into a spreadsheet."""
        if not _office(actor):
            return Case.objects.none()
        team = Exists(CaseTeamMember.objects.filter(case=OuterRef("pk"), user=actor))
        if actor.has_role(Role.SUPERVISOR):
            return Case.objects.filter(Q(restricted=False) | Q(case_manager=actor) | team)
        if actor.has_role(Role.CASE_MANAGER):
            return Case.objects.filter(Q(case_manager=actor) | team)
        return Case.objects.none()

    def in_scope(self, actor: User, case: Case) -> bool:
        """Asked once per actor for a case object: a page asks every can() below, and each used to run the same
        EXISTS query (7 times on the case page). The answer lives on the object, so a case read afresh (after a
        change of team, restriction or grant) is asked again."""
        memo = case.__dict__.setdefault("_in_scope", {})
        if actor.pk not in memo:
            memo[actor.pk] = self.visible_to(actor).filter(pk=case.pk).exists()
        return memo[actor.pk]

    @staticmethod
    def _holds_without_grant(actor: User, case: Case) -> bool:
        if not case.restricted or case.case_manager_id == actor.pk:
            return True
        return CaseTeamMember.objects.filter(case=case, user=actor).exists()

    def mark_in_scope(self, actor: User, case: Case) -> Case:
        """The case was read through visible_to(actor): it is in scope, no need to ask again."""
        case.__dict__.setdefault("_in_scope", {})[actor.pk] = True
        return case

    def can(self, actor: User, action: str, obj: Case | None = None) -> bool:
        if not _office(actor):
            return False
        supervisor = actor.has_role(Role.SUPERVISOR)
        if action == "list":
            return actor.has_role(Role.SUPERVISOR, Role.CASE_MANAGER)
        if action == "see_team":
            return supervisor
        if action == "triage":
            return report_policy.can(actor, "triage")  # the reports' intake rules decide who triages
        if obj is None:
            return False
        if action == "break_glass":
            return supervisor and not self.in_scope(actor, obj)
        if not self.in_scope(actor, obj):
            return False
        mine = obj.case_manager_id == actor.pk
        if action == "view":
            return True
        if action in {"edit", "record_lawful_basis", "request_approval"}:
            # A closed case is read-only until a supervisor reopens it.
            if obj.status == CaseStatus.CLOSED:
                return False
            return (mine and actor.has_role(Role.CASE_MANAGER)) or supervisor
        if action in {"assign", "manage_team", "restrict", "decide_approval", "backdate"}:
            # Break-the-glass lets a supervisor read a restricted case in an emergency, never take it over: lifting
            # the restriction, reassigning it, changing its team or deciding its approvals needs a place in it.
            return supervisor and self._holds_without_grant(actor, obj)
        if action.startswith("to:"):
            return self.may_transition(actor, obj, action[3:])
        return False

    def may_transition(self, actor: User, case: Case, to: str) -> bool:
        rule = TRANSITIONS.get((case.status, to))
        if rule is None or not actor.has_role(*rule.roles):
            return False
        if not actor.has_role(Role.SUPERVISOR) and case.case_manager_id != actor.pk:
            return False
        if rule.needs_approval == ApprovalKind.PLAN:
            # Services start on the plan that was approved, not on one changed since.
            approved = plan.approved_plan(case)
            return plan.same_plan(plan.snapshot_of(approved), plan.plan_snapshot(case))
        if rule.needs_approval:
            return CaseApproval.objects.filter(
                case=case, kind=rule.needs_approval, decision=ApprovalDecision.APPROVED
            ).exists()
        return True

    def next_steps(self, actor: User, case: Case) -> list[tuple[str, str]]:
        return [
            (to, str(rule.label))
            for (frm, to), rule in TRANSITIONS.items()
            if frm == case.status and self.may_transition(actor, case, to)
        ]


case_policy = CasePolicy()


OPEN_STATUSES = (CaseStatus.NEW, CaseStatus.ASSESSMENT, CaseStatus.PLAN, CaseStatus.SERVICE)
