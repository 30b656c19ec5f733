"""Response deadlines for a new report (local service standard; no national deadline exists).

Configurable because the office sets them: urgent = contact within PERISAI_FIRST_CONTACT_HOURS_URGENT (default 2),
otherwise PERISAI_FIRST_CONTACT_HOURS (6); verification within PERISAI_VERIFICATION_WORKING_DAYS (3) working days.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone


def first_contact_due(received_at: dt.datetime, *, urgent: bool) -> dt.datetime:
    hours = settings.PERISAI_FIRST_CONTACT_HOURS_URGENT if urgent else settings.PERISAI_FIRST_CONTACT_HOURS
    return received_at + dt.timedelta(hours=hours)


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """Monday to Friday count; national holidays are not known to the system and are not skipped.

    Weekdays are those of the office's calendar (Asia/Jakarta): a report sent on Saturday at 00:30 WIB is
    Friday 17:30 in UTC, and counting from the UTC Friday would give the office a day more than it has."""
    current = timezone.localtime(start) if timezone.is_aware(start) else start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def verification_due(received_at: dt.datetime) -> dt.datetime:
    return add_working_days(received_at, settings.PERISAI_VERIFICATION_WORKING_DAYS)
