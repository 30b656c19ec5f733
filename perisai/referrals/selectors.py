"""Reads of referrals, always scoped by their policy; 404 for missing and forbidden."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from statistics import median
from uuid import UUID

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from perisai.accounts.models import Agency
from perisai.audit.choices import AuditAction
from perisai.audit.services import audit_record
from perisai.core.models import Attachment
from perisai.core.selectors import attachment_get_for_owner
from perisai.referrals.choices import OPEN_REFERRAL_STATUSES, ReferralStatus, Side
from perisai.referrals.models import Referral
from perisai.referrals.policies import referral_policy, side_of
from perisai.referrals.sharing import shared_document_ids


def referral_list(*, actor) -> QuerySet[Referral]:
    return referral_policy.visible_to(actor).select_related("case", "agency")


def referral_get(*, actor, public_id: UUID) -> Referral:
    """The referral if the actor may see it; 404 for missing and forbidden alike. The page that shows it records
    the opening (referral_opened), whatever the request was, so a re-shown form counts too."""
    return get_object_or_404(referral_list(actor=actor), public_id=public_id)


def referral_opened(*, actor, referral: Referral, document_id: UUID | None = None) -> None:
    """Reading a referral (or one of its documents) is reading part of a child's file: audited on the case, with
    the reader's agency, so "who has opened this file" lists partners too."""
    extra = {"referral": str(referral.public_id), "side": side_of(actor)}
    if document_id is not None:
        extra["document"] = str(document_id)
    audit_record(
        actor=actor,
        action=AuditAction.REFERRAL_DOCUMENT_VIEWED if document_id else AuditAction.REFERRAL_VIEWED,
        obj=referral.case,
        extra=extra,
    )


def shared_with(*, actor, referral: Referral) -> dict:
    """What the reader may see of the snapshot: after a decline the partner keeps only the minimum."""
    shared = referral.shared
    if side_of(actor) == Side.PARTNER and not referral_policy.can(actor, "see_everything_shared", referral):
        keep = {"initials", "age", "sex", "violence_types"}
        shared = {
            "registration_number": shared.get("registration_number", ""),
            "kecamatan": shared.get("kecamatan", ""),
            "children": [{k: v for k, v in child.items() if k in keep} for child in shared.get("children", [])],
        }
    return shared


def referral_document(*, actor, referral: Referral, document_id: UUID) -> Attachment:
    """A document of this referral: only one ticked into its snapshot (and, for a partner, not after a decline)."""
    if str(document_id) not in shared_document_ids(shared_with(actor=actor, referral=referral)):
        raise Http404
    attachment = attachment_get_for_owner(actor=actor, owner=referral.case, public_id=document_id)
    referral_opened(actor=actor, referral=referral, document_id=attachment.public_id)
    return attachment


def referrals_of_case(case) -> QuerySet[Referral]:
    """The caller already holds `case` through the case selector."""
    return case.referrals.select_related("agency", "created_by").order_by("-created_at")


def response_times(*, since: dt.datetime | None = None, case_ids: Iterable[int] | QuerySet | None = None) -> list[dict]:
    """Per agency: referrals, answered, answered in time, median hours to answer, open and overdue now.
    Counts only (no record), for the coordination meetings and the statistics dashboard (which counts through
    referral_counts(), the same query without the medians, so both pages count referrals the same way)."""
    rows = referral_counts(since=since, case_ids=case_ids)
    hours: dict[int, list[float]] = {}
    answered = _referrals(since=since, case_ids=case_ids).filter(responded_at__isnull=False)
    for agency_id, created_at, responded_at in answered.values_list("agency_id", "created_at", "responded_at"):
        hours.setdefault(agency_id, []).append((responded_at - created_at).total_seconds() / 3600)
    for row in rows:
        times = hours.get(row["agency"].pk)
        row["median_hours"] = round(median(times), 1) if times else None
        row["in_time_share"] = round(100 * row["in_time"] / row["answered"]) if row["answered"] else None
    return rows


def referral_counts(
    *, since: dt.datetime | None = None, case_ids: Iterable[int] | QuerySet | None = None
) -> list[dict]:
    """Per agency with a referral, counted in the database (a million victims' referrals are not read one by
    one): referrals ("total"), answered (accepted or declined), answered by the deadline ("in_time"), open now
    (sent or accepted) and overdue now (sent, unanswered, past the deadline). Revoked referrals are not counted."""
    now = timezone.now()
    answered = Q(responded_at__isnull=False)
    counts = (
        _referrals(since=since, case_ids=case_ids)
        .order_by()
        .values("agency_id")
        .annotate(
            total=Count("pk"),
            answered=Count("pk", filter=answered),
            in_time=Count("pk", filter=answered & Q(responded_at__lte=F("due_at"))),
            open=Count("pk", filter=Q(status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED])),
            overdue=Count("pk", filter=Q(status=ReferralStatus.SENT, due_at__lt=now)),
        )
    )
    rows = {row.pop("agency_id"): row for row in counts}
    agencies = Agency.objects.in_bulk(rows.keys())
    return [
        {**row, "agency": agencies[agency_id]}
        for agency_id, row in sorted(rows.items(), key=lambda item: str(agencies[item[0]]))
    ]


def referrals_unanswered(*, case_ids: QuerySet) -> tuple[int, int]:
    """Of these cases' referrals not answered (and not revoked): past their deadline (still "sent"), and the
    rest. Counted live, as they turn late with the clock alone; cheap, from a partial index of the unanswered."""
    counts = (
        Referral.objects.filter(case_id__in=case_ids, responded_at__isnull=True)
        .exclude(status=ReferralStatus.REVOKED)
        .aggregate(
            # due_at, not pk: every column read is in referrals_unanswered_idx (an index-only scan).
            unanswered=Count("due_at"),
            overdue=Count("due_at", filter=Q(status=ReferralStatus.SENT, due_at__lt=timezone.now())),
        )
    )
    return counts["overdue"], counts["unanswered"] - counts["overdue"]


def referral_snapshot() -> list[dict]:
    """Per agency with a referral (not revoked): its open and overdue referrals now, for all cases. The same
    figures as referral_counts() gives, from the open referrals only (a partial index), not all of them."""
    now = timezone.now()
    open_rows = {
        row.pop("agency_id"): row
        for row in Referral.objects.filter(status__in=OPEN_REFERRAL_STATUSES)
        .order_by()
        .values("agency_id")
        .annotate(
            open=Count("due_at"),
            overdue=Count("due_at", filter=Q(status=ReferralStatus.SENT, due_at__lt=now)),
        )
    }
    live = Referral.objects.filter(agency=OuterRef("pk")).exclude(status=ReferralStatus.REVOKED)
    agencies = sorted(Agency.objects.filter(Exists(live)), key=str)
    return [{"agency": agency, **open_rows.get(agency.pk, {"open": 0, "overdue": 0})} for agency in agencies]


def _referrals(*, since: dt.datetime | None, case_ids: Iterable[int] | QuerySet | None) -> QuerySet[Referral]:
    referrals = Referral.objects.exclude(status=ReferralStatus.REVOKED)
    if since is not None:
        referrals = referrals.filter(created_at__gte=since)
    if case_ids is not None:
        # A query of case ids stays a subquery (the dashboard's 100,000 cases a year are not sent as a list).
        referrals = referrals.filter(case_id__in=case_ids if isinstance(case_ids, QuerySet) else list(case_ids))
    return referrals


def referrals_overdue_count(now: dt.datetime) -> int:
    """For /metrics: referrals still waiting for the partner's answer past their deadline."""
    return Referral.objects.filter(status=ReferralStatus.SENT, due_at__lt=now).count()
