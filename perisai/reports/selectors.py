"""Reads of reports, scoped by the access policy."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from perisai.audit.choices import AuditAction
from perisai.audit.services import audit_record
from perisai.reports.choices import UNTRIAGED
from perisai.reports.models import Report
from perisai.reports.policies import report_policy


def report_inbox(*, actor) -> QuerySet[Report]:
    """Open reports, urgent first, then oldest first: the order Rina works through at 07:30."""
    return (
        report_policy.visible_to(actor)
        .filter(status__in=UNTRIAGED, merged_into__isnull=True)
        .select_related("kecamatan", "kelurahan")
        .annotate(
            merged_count=Count("merged"),
            # A child in danger reported in a merged report keeps the group at the top of the inbox.
            urgent_any=Exists(Report.objects.filter(merged_into=OuterRef("pk"), urgent=True)),
        )
        .order_by("-urgent", "-urgent_any", "received_at")
    )


def report_get(*, actor, public_id: UUID) -> Report:
    """The report if the actor may see it (404 otherwise); opening it reveals a child, so it is audited."""
    report = get_object_or_404(
        report_policy.visible_to(actor).select_related("kecamatan", "kelurahan", "first_contact_by", "source_agency"),
        public_id=public_id,
    )
    audit_record(actor=actor, action=AuditAction.RECORD_VIEWED, obj=report)
    return report


def reports_of_case(case, *, status: str | None = None) -> QuerySet[Report]:
    """The reports that became or joined `case`, which the caller holds through its own scoped selector."""
    reports = Report.objects.filter(case=case)
    return reports if status is None else reports.filter(status=status)


def report_lock(report: Report) -> Report:
    """The report's current row, locked until the transaction ends (triage decides on it). The caller already
    holds the report through report_get."""
    return Report.objects.select_for_update().get(pk=report.pk)


def report_for_reporter(*, public_id: str) -> Report | None:
    """The report a reporter unlocked with code + PIN (the view checked the session grant)."""
    return Report.objects.filter(public_id=public_id).prefetch_related("messages").first()


def merged_into(report: Report) -> list[Report]:
    """The reports merged into `report` still waiting with it: its triage decides for them too."""
    return list(Report.objects.filter(merged_into=report, status__in=UNTRIAGED, case__isnull=True))
