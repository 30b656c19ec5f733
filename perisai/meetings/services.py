"""Writes for coordination meetings: the meeting, its action items per agency, and the once-only reminder when an
item passes its date. Notices name dates and agencies only: titles and items are typed by staff."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from perisai.accounts.models import Agency, User
from perisai.accounts.selectors import partner_staff
from perisai.audit.choices import AuditAction
from perisai.audit.services import audit_record
from perisai.cases.models import Case
from perisai.core.choices import NotificationKind
from perisai.core.notifications import notify
from perisai.meetings.models import Meeting, MeetingActionItem
from perisai.meetings.policies import meeting_policy


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404


@transaction.atomic
def meeting_record(
    *,
    actor: User,
    held_on: dt.date,
    title: str,
    agencies: Iterable[Agency],
    cases: Iterable[Case] = (),
    notes: str = "",
) -> Meeting:
    _require(meeting_policy.can(actor, "create"))
    meeting = Meeting.objects.create(held_on=held_on, title=title.strip(), notes=notes.strip(), created_by=actor)
    meeting.agencies.set(agencies)
    meeting.cases.set(cases)
    audit_record(actor=actor, action=AuditAction.MEETING_RECORDED, obj=meeting)
    return meeting


@transaction.atomic
def meeting_item_add(*, actor: User, meeting: Meeting, agency: Agency, description: str, due_on: dt.date):
    _require(meeting_policy.can(actor, "add_item", meeting))
    item = MeetingActionItem.objects.create(
        meeting=meeting, agency=agency, description=description.strip(), due_on=due_on
    )
    audit_record(actor=actor, action=AuditAction.MEETING_RECORDED, obj=meeting, extra={"item": str(item.public_id)})
    if not agency.is_home_office:
        notify(
            users=partner_staff(agency),
            message=_("Tindak lanjut rapat koordinasi untuk instansi Anda, batas %(date)s.")
            % {"date": due_on.strftime("%d-%m-%Y")},
            url=reverse("meetings:detail", args=[meeting.public_id]),
            kind=NotificationKind.MEETING,
        )
    return item


@transaction.atomic
def meeting_item_complete(*, actor: User, item: MeetingActionItem, note: str = "") -> MeetingActionItem:
    item = MeetingActionItem.objects.select_for_update().get(pk=item.pk)
    _require(meeting_policy.can(actor, "complete_item", item))
    item.done_at, item.done_by, item.done_note = timezone.now(), actor, note.strip()
    item.save()
    audit_record(
        actor=actor, action=AuditAction.MEETING_RECORDED, obj=item.meeting, extra={"done": str(item.public_id)}
    )
    return item


def meeting_items_notify_overdue(now: dt.datetime | None = None) -> int:
    """Remind the agency (and the meeting's organiser) once when an action item passes its date."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    count = 0
    items = MeetingActionItem.objects.filter(done_at__isnull=True, due_on__lt=today, overdue_notified_at__isnull=True)
    for item in items.select_related("meeting__created_by", "agency"):
        with transaction.atomic():
            claimed = MeetingActionItem.objects.filter(pk=item.pk, overdue_notified_at__isnull=True)
            if not claimed.update(overdue_notified_at=now):
                continue
            users = [item.meeting.created_by]
            if not item.agency.is_home_office:
                users += list(partner_staff(item.agency))
            notify(
                users=users,
                # Date and agency only: meeting titles and action items are typed by staff and may name a child.
                message=_("Tindak lanjut rapat %(date)s untuk %(agency)s melewati batas waktu.")
                % {
                    "date": item.meeting.held_on.strftime("%d-%m-%Y"),
                    "agency": item.agency.short_name or item.agency.name,
                },
                url=reverse("meetings:detail", args=[item.meeting.public_id]),
                kind=NotificationKind.MEETING,
            )
        count += 1
    return count
