"""Who sees and keeps coordination meetings: the office's intake and case staff, and the staff of the agencies
that attended (they read the minutes and every action item, and complete their own agency's items)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from perisai.accounts.choices import Role
from perisai.accounts.policies import works_for_partner, works_in_office
from perisai.core.policies import NOTHING, ModelPolicy
from perisai.meetings.models import Meeting, MeetingActionItem

if TYPE_CHECKING:
    from perisai.accounts.models import User

READERS = (Role.INTAKE_OFFICER, Role.CASE_MANAGER, Role.SUPERVISOR)
KEEPERS = (Role.CASE_MANAGER, Role.SUPERVISOR)


class MeetingPolicy(ModelPolicy):
    model = Meeting

    def scope(self, actor: User) -> Q:
        if works_in_office(actor, *READERS):
            return Q()
        if works_for_partner(actor):
            return Q(pk__in=Meeting.objects.filter(agencies=actor.agency).values("pk"))
        return NOTHING

    def can(self, actor: User, action: str, obj=None) -> bool:
        if action in {"list", "view"}:
            return works_in_office(actor, *READERS) or works_for_partner(actor)
        if action in {"create", "add_item"}:
            return works_in_office(actor, *KEEPERS)
        if action == "complete_item" and isinstance(obj, MeetingActionItem):
            if obj.done_at is not None:
                return False
            if works_in_office(actor, *KEEPERS):
                return True
            return works_for_partner(actor) and obj.agency_id == actor.agency_id
        return False


meeting_policy = MeetingPolicy()
