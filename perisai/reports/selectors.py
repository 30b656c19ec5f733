"""Reads of reports, scoped by the access policy."""

from __future__ import annotations

from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from perisai.audit.choices import AuditAction
from perisai.audit.services import audit_record
from perisai.reports.choices import UNTRIAGED, MessageSender
from perisai.reports.models import Report, ReportMessage
from perisai.reports.policies import report_policy
from perisai.reports.progress import ReportProgress, progress_of
from perisai.reports.similar import WINDOW


def _waiting(actor) -> QuerySet[Report]:
    """The reports waiting in the actor's inbox, unordered and without the inbox's extras."""
    return report_policy.visible_to(actor).filter(status__in=UNTRIAGED, merged_into__isnull=True)


def report_inbox(*, actor) -> QuerySet[Report]:
    """Open reports, urgent first, then oldest first: the order Rina works through at 07:30."""
    merged = Report.objects.filter(merged_into=OuterRef("pk")).order_by()
    return (
        _waiting(actor)
        .select_related("kecamatan", "kelurahan")
        .annotate(
            # Counted per row, not by Count("merged"): that join made PostgreSQL group every open report with all its
            # columns, sorted on disk, before keeping the page's 50 (79 ms at 6,000 open reports, bench/staff_pages.py).
            merged_count=Coalesce(Subquery(merged.values("merged_into").annotate(n=Count("pk")).values("n")), 0),
            # A child in danger reported in a merged report keeps the group at the top of the inbox.
            urgent_any=Exists(merged.filter(urgent=True)),
        )
        # pk last: reports received at the same minute (typed in from paper) keep one order from page to page.
        .order_by("-urgent", "-urgent_any", "received_at", "pk")
    )


INBOX_PER_PAGE = 50
# What the inbox shows of a report, and what reports.similar compares for its hints. No encrypted column: listing
# fifty reports decrypts no child's name or story (and decrypting them was a third of the page's work).
INBOX_FIELDS = ("public_id", "tracking_code", "channel", "status", "received_at", "entered_after_fact", "urgent",
                "needs_review", "kecamatan", "kelurahan", "harms", "violence_types", "child_name_index", "child_age",
                "first_contact_at", "first_contact_due_at")  # fmt: skip
# The inbox compares each listed report with at most this many open reports around it (names not decrypted).
INBOX_NEIGHBOURS = 500


def report_inbox_page(reports: QuerySet[Report], number) -> Page:
    """One page of the inbox (urgent first, then oldest): a busy day of a campaign can bring hundreds of reports,
    and the page stays the same size.

    In two steps: the page's ids in the inbox's order, then those rows. Sorting whole rows (2-3 KB of ciphertext
    each, with their regions joined) to keep 50 cost PostgreSQL four times what sorting the ids does. A report
    triaged between the two steps is left out of the page, as it would be a moment later."""
    page = Paginator(reports.values_list("pk", flat=True), INBOX_PER_PAGE).get_page(number)
    rows = reports.only(*INBOX_FIELDS).in_bulk(list(page.object_list))
    page.object_list = [rows[pk] for pk in page.object_list if pk in rows]
    return page


def report_inbox_neighbours(*, actor, page: list[Report]) -> list[tuple]:
    """The open reports received within a week of the page's that could match one of them, which the inbox checks
    for duplicates. Every reason of reports.similar needs the same kecamatan or the same child's name index, so only
    those are fetched: in a busy week the cap then cuts reports that could match, not the page's latest ones.
    Named rows of the columns reports.similar compares (and the code the inbox shows), not models: hundreds of
    them are read for every inbox page."""
    if not page:
        return []
    received = [report.received_at for report in page]
    window = (min(received) - WINDOW, max(received) + WINDOW)
    kecamatans = {report.kecamatan_id for report in page if report.kecamatan_id}
    names = {report.child_name_index for report in page if report.child_name_index}
    fields = ("pk", "tracking_code", "received_at", "kecamatan_id", "kelurahan_id", "harms", "child_name_index",
              "child_age")  # fmt: skip
    could_match = Q(kecamatan_id__in=kecamatans) | Q(child_name_index__in=names)
    # Not report_inbox(): its joins and per-row subqueries (merged, urgent) are for the listed page, not for these.
    nearby = _waiting(actor).filter(could_match, received_at__range=window).values_list(*fields, named=True)
    return list(nearby.order_by("-received_at")[:INBOX_NEIGHBOURS])


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


def report_progress(*, report: Report) -> ReportProgress:
    """What the reporter may read of `report` (unlocked with code + PIN by the caller): its steps with done/current
    and dates, a one-line headline, and the conversation with the office. For the status page and WhatsApp alike."""
    return progress_of(report)


def staff_message(*, message_id: int) -> ReportMessage | None:
    """An officer's message with its report, for delivery on the channel the report came by (perisai.channels)."""
    return ReportMessage.objects.select_related("report").filter(pk=message_id, sender=MessageSender.STAFF).first()


def merged_into(report: Report) -> list[Report]:
    """The reports merged into `report` still waiting with it: its triage decides for them too."""
    return list(Report.objects.filter(merged_into=report, status__in=UNTRIAGED, case__isnull=True))


def report_figures(now) -> tuple[dict[str, int], int]:
    """Counts for /metrics: reports received per channel (every report ever, merged and closed ones too), and
    those still waiting for a first contact past its deadline. Counts only."""
    received = dict(Report.objects.order_by().values_list("channel").annotate(n=Count("pk")))
    late = Report.objects.filter(first_contact_at__isnull=True, first_contact_due_at__lt=now, status__in=UNTRIAGED)
    return received, late.count()
