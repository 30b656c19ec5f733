"""In-app and e-mail notices. Callers pass a message that names a case only by registration number; the
e-mail is sent after commit, by the worker, and carries only that message and a link (UU SPPA Pasal 19)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from perisai.core.choices import NotificationKind
from perisai.core.models import Notification, NotificationPreference
from perisai.core.tasks import send_notification_email

# How long a notice's e-mail may wait for its own queueing before the sweep takes it: queueing runs right after
# the commit, so anything older than this failed (or its process died in between).
EMAIL_SWEEP_AFTER = dt.timedelta(minutes=5)


def notify(*, users: Iterable, message: str, url: str, kind: str = NotificationKind.OTHER) -> list[Notification]:
    """One notice per active user (each user once), and one e-mail each after commit, unless that user chose to
    get this kind of notice in the app only."""
    recipients = {}
    for user in users:
        if user is not None and user.is_active:
            recipients.setdefault(user.pk, user)
    if not recipients:
        return []
    app_only = set(
        NotificationPreference.objects.filter(user_id__in=recipients, kind=kind, email=False).values_list(
            "user_id", flat=True
        )
    )
    notices = [
        Notification.objects.create(
            user=user, message=message[:300], url=url, kind=kind, email_due=user.pk not in app_only
        )
        for user in recipients.values()
    ]
    ids = [notice.pk for notice in notices if notice.email_due]
    if ids:
        # Robust: the notice is committed with what it is about (an urgent report, say). If queueing the e-mail
        # fails (the database dropped just after the commit), the caller must still hear that its write succeeded,
        # or a reporter would be told "not sent" about a report that was; the notices stay in the app, marked
        # due, and the scheduler's sweep queues their e-mails a few minutes later.
        transaction.on_commit(lambda: _enqueue_emails(ids), robust=True)
    return notices


def _enqueue_emails(ids: list[int]) -> int:
    """Queue the e-mails of those notices that are still due, and mark them queued, in one transaction: all or
    none. One transaction for all of them: an urgent report notifies every intake officer and supervisor, and a
    commit (a disk flush on PostgreSQL) per e-mail made the reporter wait for each one (bench/load.py). The rows
    are locked first, so the sweep and a late after-commit queueing of the same notice send one e-mail, not two."""
    with transaction.atomic():
        due = list(
            Notification.objects.select_for_update()
            .filter(pk__in=ids, email_due=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for pk in due:
            send_notification_email.enqueue(pk)
        Notification.objects.filter(pk__in=due).update(email_due=False)
    return len(due)


def emails_sweep(*, now: dt.datetime | None = None, batch: int = 500) -> int:
    """The scheduler's sweep (ops.jobs, notice_emails): queue the e-mails whose queueing after the commit failed.
    An urgent report's alert must not stay in the app only because the database blinked at the wrong moment.
    Returns how many were queued."""
    cutoff = (now or timezone.now()) - EMAIL_SWEEP_AFTER
    # Read in the app meanwhile: the e-mail would only repeat it.
    Notification.objects.filter(email_due=True, created_at__lt=cutoff, read_at__isnull=False).update(email_due=False)
    ids = list(
        Notification.objects.filter(email_due=True, created_at__lt=cutoff)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:batch]
    )
    return _enqueue_emails(ids) if ids else 0


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
