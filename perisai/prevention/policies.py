"""Who sees and records PATBM groups and prevention activities.

PATBM groups are facilitated by the office: its intake, case and supervisor staff see and keep them, members'
contacts included (volunteers' personal data, UU PDP 27/2022 Pasal 16: only those who work with them). Analysts
see the groups without members. Partners never see the groups' members.

Prevention activities carry no personal data by design: their files (materials) are slides, leaflets and photos of
the event, and the page asks for no children's faces or names; a file uploaded by mistake is removed by whoever may
change the activity. Every office role sees them all; a partner agency's staff record their own agency's activities
and see those their agency ran or took part in, files included (the same need-to-know line as outreach
operations). Counts of all activities reach leadership through the dashboard, not through these lists."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from perisai.accounts.choices import Role
from perisai.accounts.policies import works_for_partner, works_in_office
from perisai.core.policies import NOTHING, ModelPolicy
from perisai.prevention.models import PatbmGroup, PreventionActivity
from perisai.reports.policies import report_policy

if TYPE_CHECKING:
    from perisai.accounts.models import User

FIELD_ROLES = (Role.INTAKE_OFFICER, Role.CASE_MANAGER, Role.SUPERVISOR)
OFFICE_READERS = (*FIELD_ROLES, Role.ANALYST)


class PatbmGroupPolicy(ModelPolicy):
    model = PatbmGroup

    def scope(self, actor: User) -> Q:
        return Q() if works_in_office(actor, *OFFICE_READERS) else NOTHING

    def can(self, actor: User, action: str, obj=None) -> bool:
        if action in {"list", "view"}:
            return works_in_office(actor, *OFFICE_READERS)
        if action in {"create", "change", "see_members", "manage_members"}:
            return works_in_office(actor, *FIELD_ROLES)
        if action == "see_reports":
            # Which reports a group brought (codes, dates) is for those who read the inbox; others see the count.
            return works_in_office(actor, *FIELD_ROLES) and report_policy.can(actor, "view")
        if action == "record_report":
            # The intake rules decide who records reports; a group's page only says who brought it.
            return works_in_office(actor, *FIELD_ROLES) and report_policy.can(actor, "create")
        return False


class PreventionActivityPolicy(ModelPolicy):
    model = PreventionActivity

    def scope(self, actor: User) -> Q:
        if works_in_office(actor, *OFFICE_READERS):
            return Q()
        if works_for_partner(actor):
            return Q(organiser=actor.agency) | Q(agencies=actor.agency)
        return NOTHING

    def can(self, actor: User, action: str, obj=None) -> bool:
        office_writer = works_in_office(actor, *FIELD_ROLES)
        partner = works_for_partner(actor)
        if action == "list":
            return works_in_office(actor, *OFFICE_READERS) or partner
        if action == "create":
            return office_writer or partner
        if action == "choose_organiser":
            # The office coordinates and may record an activity in a partner's name; a partner records its own.
            return office_writer
        if obj is None:
            return False
        if action == "view":
            return works_in_office(actor, *OFFICE_READERS) or (
                partner and (obj.organiser_id == actor.agency_id or obj.agencies.filter(pk=actor.agency_id).exists())
            )
        if action == "change":
            # Whoever ran it keeps its record: the office its own (and any, as the coordinator), a partner only
            # the activities it organised.
            return office_writer or (partner and obj.organiser_id == actor.agency_id)
        return False


patbm_group_policy = PatbmGroupPolicy()
activity_policy = PreventionActivityPolicy()
