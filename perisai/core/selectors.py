"""Reads shared by every app: attachments, through their owner's access policy; the background work."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from perisai.audit.choices import AuditAction
from perisai.audit.services import audit_record
from perisai.core import attachment_owners
from perisai.core.models import Attachment, Holiday, ProcessHeartbeat
from perisai.core.worker import WORKER_LOST


def attachments_of(owner: models.Model) -> QuerySet[Attachment]:
    """The owner's attachments. The caller already holds `owner` through its own scoped selector."""
    owner_type, owner_id = attachment_owners.owner_ref(owner)
    return Attachment.objects.filter(owner_type=owner_type, owner_id=owner_id)


def attachments_of_kind(model: type[models.Model]) -> QuerySet[Attachment]:
    """Every attachment of one kind of owner (retention reads them all at once, not owner by owner)."""
    return Attachment.objects.filter(owner_type=model._meta.label_lower)


def attachment_get(*, actor, public_id: UUID) -> Attachment:
    """The attachment if the actor may see its owner; 404 for missing and forbidden alike. Audited."""
    attachment = Attachment.objects.filter(public_id=public_id).first()
    if attachment is None:
        raise Http404
    policy = attachment_owners.policy_for(attachment.owner_type)
    if policy is None or not policy.visible_to(actor).filter(public_id=attachment.owner_id).exists():
        raise Http404
    audit_record(actor=actor, action=AuditAction.ATTACHMENT_VIEWED, obj=attachment)
    return attachment


def attachment_get_for_owner(*, actor, owner: models.Model, public_id: UUID) -> Attachment:
    """An attachment of `owner`, which the caller already holds through a scoped selector. Audited."""
    owner_type, owner_id = attachment_owners.owner_ref(owner)
    attachment = Attachment.objects.filter(public_id=public_id, owner_type=owner_type, owner_id=owner_id).first()
    if attachment is None:
        raise Http404
    audit_record(actor=actor, action=AuditAction.ATTACHMENT_VIEWED, obj=attachment)
    return attachment


def background_overview(*, now=None, days: int = 7) -> dict:
    """The task queue and the background processes, for administrators: counts, what runs, what failed, what was
    retried after a worker died. Task names and times only; a failed task's traceback can quote data and stays
    in the database."""
    now = now or timezone.now()
    since = now - timezone.timedelta(days=days)
    tasks = DBTaskResult.objects.all()
    fields = ("id", "task_path", "status", "enqueued_at", "started_at", "finished_at", "run_after", "worker_ids",
              "exception_class_path")  # fmt: skip
    ready = tasks.ready()
    lease = timezone.timedelta(seconds=settings.PERISAI_WORKER_LEASE_SECONDS)
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return {
        "queued": ready.count(),
        "scheduled": tasks.filter(status="READY").count() - ready.count(),
        "oldest_queued_seconds": int((now - oldest).total_seconds()) if oldest else None,
        "running": list(tasks.running().only(*fields).order_by("started_at")[:50]),
        "failed": list(tasks.failed().filter(finished_at__gte=since).only(*fields).order_by("-finished_at")[:50]),
        "failed_count": tasks.failed().filter(finished_at__gte=since).count(),
        # A task claimed by two workers or more ran again after one of them died (the failed ones are listed above).
        "retried": list(
            tasks.filter(enqueued_at__gte=since, worker_ids__1__isnull=False)
            .exclude(status="FAILED")
            .only(*fields)[:50]
        ),
        "succeeded_count": tasks.successful().filter(finished_at__gte=since).count(),
        "processes": [
            {"beat": beat, "alive": beat.seen_at >= now - lease}
            for beat in ProcessHeartbeat.objects.order_by("kind", "-seen_at")
        ],
        "worker_lost": WORKER_LOST,
    }


def holidays_by_year() -> dict[int, list[Holiday]]:
    """The office's holidays, newest year first (the ops page)."""
    years: dict[int, list[Holiday]] = {}
    for holiday in Holiday.objects.order_by("-date__year", "date"):
        years.setdefault(holiday.date.year, []).append(holiday)
    return years
