"""Reads of coordination meetings, scoped by their policy; 404 for missing and forbidden."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from perisai.meetings.models import Meeting, MeetingActionItem
from perisai.meetings.policies import meeting_policy


def meeting_list(*, actor) -> QuerySet[Meeting]:
    return meeting_policy.visible_to(actor).prefetch_related("agencies")


def meeting_get(*, actor, public_id: UUID) -> Meeting:
    return get_object_or_404(meeting_list(actor=actor), public_id=public_id)


def item_of(meeting: Meeting, public_id: UUID) -> MeetingActionItem:
    """An action item of a meeting the caller holds through meeting_get."""
    return get_object_or_404(MeetingActionItem, meeting=meeting, public_id=public_id)
