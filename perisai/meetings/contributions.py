"""What coordination meetings add to the portal (perisai.core.contributions): the menu link, overdue action items
in the digest and their once-only reminders, demo data. Dates and agencies only: items are typed by staff and
may name a child."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perisai.accounts.choices import Role
from perisai.accounts.policies import works_for_partner, works_in_office
from perisai.core.contributions import MenuLink
from perisai.meetings import services
from perisai.meetings.demo import describe as describe_demo
from perisai.meetings.demo import seed as seed_demo
from perisai.meetings.models import MeetingActionItem
from perisai.meetings.policies import KEEPERS, meeting_policy

__all__ = ["before_digest", "describe_demo", "digest_lines", "menu_links", "seed_demo"]


def menu_links(user) -> list[MenuLink]:
    if not meeting_policy.can(user, "list"):
        return []
    return [MenuLink(_("Rapat koordinasi"), reverse("meetings:list"), 40)]


def before_digest(now: dt.datetime) -> None:
    services.meeting_items_notify_overdue(now)


def digest_lines(user, now: dt.datetime) -> list[str]:
    """Overdue action items: those of the meetings this person organised (a supervisor: all), or their agency's."""
    items = MeetingActionItem.objects.filter(done_at__isnull=True, due_on__lt=timezone.localdate(now))
    if works_in_office(user, *KEEPERS):
        if not user.has_role(Role.SUPERVISOR):
            items = items.filter(meeting__created_by=user)
    elif works_for_partner(user):
        items = items.filter(agency=user.agency)
    else:
        return []
    return [
        f"- [TINDAK LANJUT RAPAT TERLAMBAT] rapat {item.meeting.held_on:%d-%m-%Y}, {item.agency} "
        f"(batas {item.due_on:%d-%m-%Y})"
        for item in items.select_related("agency", "meeting").order_by("due_on")[:100]
    ]
