"""Reads of the audit trail."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Count, Max, QuerySet

from perisai.audit.choices import AuditAction
from perisai.audit.models import AuditEvent
from perisai.audit.services import object_ref

# A partner reading a referral has read part of this child's file: it is listed with their agency.
OPENING_ACTIONS = (
    AuditAction.RECORD_VIEWED,
    AuditAction.BREAK_THE_GLASS,
    AuditAction.PRINTED,
    AuditAction.EXPORTED,
    AuditAction.REFERRAL_VIEWED,
    AuditAction.REFERRAL_DOCUMENT_VIEWED,
)


def openings_of(obj: models.Model) -> QuerySet[AuditEvent]:
    """Who has opened this file and when ("siapa saja yang membuka berkas ini"), newest first.

    The caller has already been allowed to see `obj`; this list shows staff names only, no child data.
    """
    object_type, object_id = object_ref(obj)
    return (
        AuditEvent.objects.filter(object_type=object_type, object_id=object_id, action__in=OPENING_ACTIONS)
        .select_related("actor", "agency")
        .order_by("-seq")
    )


SECURITY_LOCKS = (AuditAction.LOCKED_OUT, AuditAction.LOGIN_THROTTLED, AuditAction.REPORT_PIN_LOCKED)
SECURITY_REFUSALS = (AuditAction.SECURITY_RATE_LIMITED, AuditAction.SECURITY_CSRF)
BURST = 10  # "not found" answers to one account in the period that deserve a look


@dataclass(frozen=True)
class SecurityOverview:
    not_found_by_account: list[dict]  # actor_id, count, last, burst (the caller names the accounts)
    locks: list[AuditEvent]
    refusals: list[dict]  # action, path, address, count, last
    pin_failures: dict  # on real codes and on made-up ones
    logins_failed: int


def security_overview(*, since) -> SecurityOverview:
    """What probing and refusals the trail holds since `since` (an administrator's security page)."""
    recent = AuditEvent.objects.filter(occurred_at__gte=since)
    not_found = list(
        recent.filter(action=AuditAction.SECURITY_NOT_FOUND, actor__isnull=False)
        .values("actor_id")
        .annotate(count=Count("seq"), last=Max("occurred_at"))
        .order_by("-count")
    )
    for row in not_found:
        row["burst"] = row["count"] >= BURST
    refusals = list(
        recent.filter(action__in=SECURITY_REFUSALS)
        .values("action", "extra__path", "ip_address")
        .annotate(count=Count("seq"), last=Max("occurred_at"))
        .order_by("-count")[:50]
    )
    pins = recent.filter(action=AuditAction.REPORT_PIN_FAILED)
    return SecurityOverview(
        not_found_by_account=not_found,
        locks=list(recent.filter(action__in=SECURITY_LOCKS).order_by("-seq")[:50]),
        refusals=refusals,
        pin_failures={
            "known": pins.exclude(extra__unknown_code=True).count(),
            "unknown": pins.filter(extra__unknown_code=True).count(),
        },
        logins_failed=recent.filter(action=AuditAction.LOGIN_FAILED).count(),
    )
