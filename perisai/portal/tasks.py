"""The daily digest: each person's overdue and due work from every app (perisai.core.contributions), in one
e-mail. Registration numbers, tasks, agencies and dates only: no child's identity (UU SPPA Pasal 19)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from perisai.accounts.choices import Role
from perisai.accounts.models import User
from perisai.portal import registry

DIGEST_ROLES = (Role.CASE_MANAGER, Role.SUPERVISOR, Role.PARTNER_STAFF)


def digest_for(user: User, now: dt.datetime) -> str:
    """The text of one person's digest."""
    return "\n".join(registry.digest_lines(user, now))


@task
def send_daily_digest() -> int:
    """Each assignee and supervisor gets their overdue and due-today tasks, and everyone (partners too) their
    overdue referrals and meeting action items. The scheduler runs it each morning (perisai/ops/jobs.py); it no
    longer queues its own next run, so a missed morning shows on the background-work page instead of ending a
    chain nobody sees."""
    now = timezone.now()
    registry.before_digest(now)
    sent = 0
    people = User.objects.filter(is_active=True, roles__role__in=DIGEST_ROLES).distinct().select_related("agency")
    for user in people:
        body = digest_for(user, now)
        if body:
            office = user.agency is not None and user.agency.is_home_office
            link = settings.PERISAI_SITE_URL + reverse("cases:list" if office else "referrals:list")
            sent += send_mail("[Perisai] Tugas kasus hari ini", f"{body}\n\nBuka Perisai: {link}\n", None, [user.email])
    return sent
