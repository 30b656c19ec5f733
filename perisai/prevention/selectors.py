"""Reads of PATBM groups and prevention activities, scoped by their policies; 404 for missing and forbidden.
Opening a group's members is audited: they are volunteers' names and phone numbers."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from perisai.accounts.models import Agency
from perisai.audit.choices import AuditAction
from perisai.audit.services import audit_record
from perisai.prevention.models import PatbmGroup, PatbmMember, PatbmReport, PreventionActivity
from perisai.prevention.policies import activity_policy, patbm_group_policy


def files_kept_until(held_on: dt.date) -> dt.date | None:
    """The last day the files of an activity held on `held_on` are kept (services.materials_expire deletes them the
    night after); None when PERISAI_PREVENTION_FILES_YEARS is 0 and they are kept."""
    years = settings.PERISAI_PREVENTION_FILES_YEARS
    return shift_years(held_on, years) if years > 0 else None


def files_expired(held_on: dt.date, today: dt.date | None = None) -> bool:
    """The one rule the page, the upload, the date change and the nightly job all ask."""
    kept_until = files_kept_until(held_on)
    return kept_until is not None and kept_until < (today or timezone.localdate())


def shift_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year that has none
        return day.replace(year=day.year + years, day=28)


def group_list(*, actor) -> QuerySet[PatbmGroup]:
    return (
        patbm_group_policy.visible_to(actor)
        .select_related("kelurahan")
        .annotate(
            active_members=Count("members", filter=Q(members__is_active=True), distinct=True),
            reports_brought=Count("reports", distinct=True),
        )
    )


def group_get(*, actor, public_id: UUID) -> PatbmGroup:
    return get_object_or_404(group_list(actor=actor), public_id=public_id)


def group_members(*, actor, group: PatbmGroup) -> list[PatbmMember]:
    """The members with their contacts, for those who work with the group; an audited read."""
    if not patbm_group_policy.can(actor, "see_members", group):
        return []
    audit_record(actor=actor, action=AuditAction.RECORD_VIEWED, obj=group, extra={"members": True})
    return list(group.members.all())


def member_get(*, actor, group: PatbmGroup, public_id: UUID) -> PatbmMember:
    """A member of a group the caller holds through group_get, to edit: an audited read of a volunteer's contact."""
    if not patbm_group_policy.can(actor, "manage_members", group):
        raise Http404
    member = get_object_or_404(PatbmMember, group=group, public_id=public_id)
    audit_record(actor=actor, action=AuditAction.RECORD_VIEWED, obj=group, extra={"member": str(member.public_id)})
    return member


def group_reports(*, group: PatbmGroup) -> QuerySet[PatbmReport]:
    """The reports a group brought: codes and dates only (the report's page decides who may open it)."""
    return group.reports.select_related("report").order_by("-recorded_at")


def group_choices(*, actor, keeping: PreventionActivity | None = None) -> QuerySet[PatbmGroup]:
    """Groups an activity may name: all active ones (their names are public knowledge in the kelurahan), and the
    one an edited activity already names, though it stopped since: saving a correction must not drop it."""
    kept = Q(pk=keeping.patbm_group_id) if keeping is not None and keeping.patbm_group_id else Q(pk__in=[])
    return PatbmGroup.objects.filter(Q(is_active=True) | kept).select_related("kelurahan")


def agency_choices(*, keeping: PreventionActivity | None = None) -> QuerySet[Agency]:
    """Active agencies, and those an edited activity already names (an agency closed since stays on its record)."""
    kept = Q(pk__in=[])
    if keeping is not None:
        kept = Q(pk=keeping.organiser_id) | Q(pk__in=keeping.agencies.values("pk"))
    return Agency.objects.filter(Q(is_active=True) | kept).order_by("name")


def activity_list(*, actor) -> QuerySet[PreventionActivity]:
    return (
        activity_policy.visible_to(actor)
        .distinct()
        .select_related("kelurahan", "organiser", "patbm_group")
        .prefetch_related("agencies")
    )


def activity_get(*, actor, public_id: UUID) -> PreventionActivity:
    return get_object_or_404(activity_list(actor=actor), public_id=public_id)


def activity_coverage(*, start: dt.date, end: dt.date, kecamatan: str | None = None) -> dict[str, tuple[int, int]]:
    """{kelurahan code: (activities, participants)} of activities held from start to end (inclusive). For the
    dashboard: counts only, no names; whoever may see the dashboard may see them."""
    activities = PreventionActivity.objects.filter(held_on__gte=start, held_on__lte=end)
    if kecamatan:
        activities = activities.filter(kelurahan__code__startswith=f"{kecamatan}.")
    rows = (
        activities.order_by()
        .values("kelurahan__code")
        .annotate(count=Count("pk"), people=Sum("participants"))
        .values_list("kelurahan__code", "count", "people")
    )
    return {code: (count, people or 0) for code, count, people in rows}


def patbm_summary(*, start: dt.date, end: dt.date, kecamatan: str | None = None) -> dict[str, int]:
    """Active groups and the reports they brought in the period: for the dashboard."""
    groups = PatbmGroup.objects.filter(is_active=True)
    reports = PatbmReport.objects.filter(report__received_at__date__gte=start, report__received_at__date__lte=end)
    if kecamatan:
        groups = groups.filter(kelurahan__code__startswith=f"{kecamatan}.")
        reports = reports.filter(group__kelurahan__code__startswith=f"{kecamatan}.")
    return {
        "groups": groups.count(),
        "kelurahan_with_group": groups.values("kelurahan").distinct().count(),
        "reports": reports.count(),
    }


def active_groups_by_kelurahan() -> dict[str, int]:
    """{kelurahan code: active PATBM groups}, for the dashboard."""
    rows = (
        PatbmGroup.objects.filter(is_active=True)
        .order_by()
        .values("kelurahan__code")
        .annotate(count=Count("pk"))
        .values_list("kelurahan__code", "count")
    )
    return dict(rows)
