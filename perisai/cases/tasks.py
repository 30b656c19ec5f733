"""Side effects of case changes. They run after commit, in the worker, and carry ids only: no child's
identity ever goes into a task, an e-mail subject or body (UU SPPA Pasal 19)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from perisai.accounts.choices import Role
from perisai.accounts.models import User


@task
def notify_break_glass(grant_id: int) -> int:
    from perisai.cases.models import CaseAccessGrant

    grant = CaseAccessGrant.objects.select_related("case", "user").get(pk=grant_id)
    recipients = [
        user.email
        for user in User.objects.filter(roles__role=Role.SUPERVISOR, is_active=True).distinct()
        if user.pk != grant.user_id
    ]
    if not recipients:
        return 0
    link = settings.PERISAI_SITE_URL + reverse("cases:detail", args=[grant.case.public_id])
    body = (
        f"{grant.user.full_name} membuka kasus {grant.case.registration_number} dengan akses darurat "
        f"(di luar kewenangan biasanya) pada {grant.granted_at:%d-%m-%Y %H:%M} UTC.\n\n"
        f"Alasannya tercatat di Perisai: {link}\n"
    )
    return send_mail("[Perisai] Akses darurat ke berkas kasus", body, None, recipients)


def after_break_glass(grant) -> None:
    transaction.on_commit(lambda: notify_break_glass.enqueue(grant.pk))


def digest_for(user: User, now) -> str:
    """The text of one person's digest: registration numbers, tasks and dates; no child's identity."""
    from perisai.cases.models import CaseTask

    open_tasks = CaseTask.objects.filter(done_at__isnull=True, due_at__lte=now + dt.timedelta(days=1)).exclude(
        case__status="terminasi"
    )
    mine = open_tasks.filter(assignee=user)
    if user.has_role(Role.SUPERVISOR):
        mine = open_tasks.filter(assignee__agency=user.agency)  # their office's overdue and due work
    lines = []
    for item in mine.select_related("case", "assignee").order_by("due_at")[:200]:
        state = "TERLAMBAT" if item.due_at < now else "hari ini"
        local = timezone.localtime(item.due_at).strftime("%d-%m-%Y %H:%M")
        lines.append(f"- [{state}] {item.case.registration_number}: {item.title} (batas {local}, {item.assignee})")
    from perisai.referrals.tasks import digest_lines

    lines += digest_lines(user, now)
    return "\n".join(lines)


@task
def send_daily_digest() -> int:
    """Each assignee and supervisor gets their overdue and due-today tasks, and everyone (partners too) their
    overdue referrals and meeting action items; then the next run is queued."""
    from perisai.referrals import services as referral_services

    now = timezone.now()
    referral_services.referrals_notify_overdue(now)
    referral_services.meeting_items_notify_overdue(now)
    sent = 0
    roles = [Role.CASE_MANAGER, Role.SUPERVISOR, Role.PARTNER_STAFF]
    for user in User.objects.filter(is_active=True, roles__role__in=roles).distinct().select_related("agency"):
        body = digest_for(user, now)
        if body:
            office = user.agency is not None and user.agency.is_home_office
            link = settings.PERISAI_SITE_URL + reverse("cases:list" if office else "referrals:list")
            sent += send_mail("[Perisai] Tugas kasus hari ini", f"{body}\n\nBuka Perisai: {link}\n", None, [user.email])
    schedule_next_digest(after=now)
    return sent


def next_digest_time(after) -> dt.datetime:
    local = timezone.localtime(after)
    run = local.replace(hour=settings.PERISAI_DIGEST_HOUR, minute=0, second=0, microsecond=0)
    return run if run > local else run + dt.timedelta(days=1)


def schedule_next_digest(after=None) -> None:
    """Queue the next digest unless one is already waiting (the worker has no scheduler of its own)."""
    from django_tasks_db.models import DBTaskResult

    pending = DBTaskResult.objects.filter(task_path=f"{__name__}.send_daily_digest", status="READY").exists()
    if not pending:
        send_daily_digest.using(run_after=next_digest_time(after or timezone.now())).enqueue()
