"""In-app and e-mail notices. Callers pass a message that names a case only by registration number; the
e-mail is sent after commit, by the worker, and carries only that message and a link (UU SPPA Pasal 19)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from perisai.core.choices import NotificationKind
from perisai.core.models import Notification, NotificationPreference
from perisai.core.tasks import send_notification_email


def notify(*, users: Iterable, message: str, url: str, kind: str = NotificationKind.OTHER) -> list[Notification]:
    """One notice per active user (each user once), and one e-mail each after commit, unless that user chose to
    get this kind of notice in the app only."""
    seen: set[int] = set()
    notices = []
    for user in users:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        notices.append(Notification.objects.create(user=user, message=message[:300], url=url, kind=kind))
    if not notices:
        return []
    app_only = set(
        NotificationPreference.objects.filter(user_id__in=seen, kind=kind, email=False).values_list(
            "user_id", flat=True
        )
    )
    ids = [notice.pk for notice in notices if notice.user_id not in app_only]
    if ids:
        # Robust: the notice is committed with what it is about (an urgent report, say). If queueing the e-mail
        # fails (the database dropped just after the commit), the caller must still hear that its write succeeded,
        # or a reporter would be told "not sent" about a report that was; the notices stay in the app.
        transaction.on_commit(lambda: _enqueue_emails(ids), robust=True)
    return notices


def _enqueue_emails(ids: list[int]) -> None:
    # One transaction for all of them: an urgent report notifies every intake officer and supervisor, and a commit
    # (a disk flush on PostgreSQL) per e-mail made the reporter wait for each one (bench/load.py).
    with transaction.atomic():
        for pk in ids:
            send_notification_email.enqueue(pk)


def email_preferences(user) -> dict[str, bool]:
    """Kind -> whether notices of that kind also come by e-mail (yes unless the user said no)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return {kind: chosen.get(kind, True) for kind in NotificationKind.values}


@transaction.atomic
def email_preferences_save(*, actor, by_email: Iterable[str]) -> None:
    """The actor's own choice; every kind not listed comes in the app only."""
    wanted = set(by_email)
    for kind in NotificationKind.values:
        NotificationPreference.objects.update_or_create(user=actor, kind=kind, defaults={"email": kind in wanted})


def unread_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, read_at__isnull=True)


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def notification_open(*, actor, public_id) -> str:
    """One of the actor's own notices, marked read; returns where it leads. Someone else's notice is not found.
    Only a path on this site is followed: a notice never sends anyone elsewhere."""
    notice = get_object_or_404(Notification, user=actor, public_id=public_id)
    if notice.read_at is None:
        Notification.objects.filter(pk=notice.pk).update(read_at=timezone.now())
    url = notice.url
    return url if url.startswith("/") and not url.startswith("//") else "/"


def notifications_mark_read(*, actor) -> int:
    return unread_for(actor).update(read_at=timezone.now())
