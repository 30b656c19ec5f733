"""In-app and e-mail notices. Callers pass a message that names a case only by registration number; the
e-mail is sent after commit, by the worker, and carries only that message and a link (UU SPPA Pasal 19)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from perisai.core.models import Notification
from perisai.core.tasks import send_notification_email


def notify(*, users: Iterable, message: str, url: str) -> list[Notification]:
    """One notice per active user (each user once), and one e-mail each after commit."""
    seen: set[int] = set()
    notices = []
    for user in users:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        notices.append(Notification.objects.create(user=user, message=message[:300], url=url))
    ids = [notice.pk for notice in notices]
    if ids:
        transaction.on_commit(lambda: [send_notification_email.enqueue(pk) for pk in ids])
    return notices


def unread_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, read_at__isnull=True)


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def notifications_mark_read(*, actor) -> int:
    return unread_for(actor).update(read_at=timezone.now())
