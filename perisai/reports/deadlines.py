"""Response deadlines for a new report (local service standard; no national deadline exists).

Configurable because the office sets them: urgent = contact within PERISAI_FIRST_CONTACT_HOURS_URGENT (default 2),
otherwise PERISAI_FIRST_CONTACT_HOURS (6); verification within PERISAI_VERIFICATION_WORKING_DAYS (3) working days.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from perisai.core.holidays import office_holidays

logger = logging.getLogger(__name__)


def first_contact_due(received_at: dt.datetime, *, urgent: bool) -> dt.datetime:
    hours = settings.PERISAI_FIRST_CONTACT_HOURS_URGENT if urgent else settings.PERISAI_FIRST_CONTACT_HOURS
    return received_at + dt.timedelta(hours=hours)


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """The office's working days count (PERISAI_OFFICE_DAYS, without its holidays: core.holidays).

    Days are those of the office's calendar (Asia/Jakarta): a report sent on Saturday at 00:30 WIB is
    Friday 17:30 in UTC, and counting from the UTC Friday would give the office a day more than it has."""
    current = timezone.localtime(start) if timezone.is_aware(start) else start
    remaining = days
    for _day in range(days * 7 + 60):  # a bound, as in next_opening: a calendar without working days must not hang
        if remaining <= 0:
            break
        current += dt.timedelta(days=1)
        if is_working_day(current.date()):
            remaining -= 1
    if remaining > 0:
        logger.warning("no %s working days within %s days: check the office days and holidays", days, days * 7 + 60)
    return current


def verification_due(received_at: dt.datetime) -> dt.datetime:
    return add_working_days(received_at, settings.PERISAI_VERIFICATION_WORKING_DAYS)


# --- What the reporter is promised -------------------------------------------------------------------------------
# The deadlines above are the office's service standard and stay as they are for staff. The receipt promises only
# what the office can keep at the hour of sending: nobody reads the inbox at 22:30, so "by 04:30" was not true.


@dataclass(frozen=True)
class Promise:
    urgent: bool
    office_open: bool  # the office was open when the report arrived
    check_by: dt.datetime  # local time: the deadline itself, or the opening of the next working morning
    next_morning: bool
    day: str  # "today", "tomorrow" or "later": the words for check_by's day, seen from the day it was sent


def office_hours() -> tuple[dt.time, dt.time]:
    opens, closes = settings.PERISAI_OFFICE_HOURS.split("-")
    return dt.time.fromisoformat(opens.strip()), dt.time.fromisoformat(closes.strip())


def is_working_day(day: dt.date) -> bool:
    return day.isoweekday() in settings.PERISAI_OFFICE_DAYS and day.isoformat() not in office_holidays()


def next_opening(moment: dt.datetime) -> dt.datetime:
    """The first opening of the office after `moment` (local): this morning's if it is a working day not yet open."""
    opens, _closes = office_hours()
    local = timezone.localtime(moment)
    day = local.date() if local.time() < opens else local.date() + dt.timedelta(days=1)
    for _day in range(60):  # Lebaran and cuti bersama make the longest run of days off, about two weeks
        if is_working_day(day):
            break
        day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, opens))


def public_promise(received_at: dt.datetime, *, urgent: bool) -> Promise:
    """When the reporter may expect an officer to look at the report: the service standard's deadline if the office
    is open and it falls before closing, otherwise the next working morning."""
    opens, closes = office_hours()
    local = timezone.localtime(received_at)
    open_now = is_working_day(local.date()) and opens <= local.time() < closes
    due = timezone.localtime(first_contact_due(received_at, urgent=urgent))
    if open_now and due.date() == local.date() and due.time() <= closes:
        return Promise(urgent=urgent, office_open=True, check_by=due, next_morning=False, day="today")
    morning = next_opening(received_at)
    days = (morning.date() - local.date()).days
    day = "today" if days == 0 else "tomorrow" if days == 1 else "later"
    return Promise(urgent=urgent, office_open=open_now, check_by=morning, next_morning=True, day=day)
