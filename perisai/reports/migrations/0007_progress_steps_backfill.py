"""Date the reporter's steps of the reports that exist, and finish the reports whose case is already closed.

Dates come from the audit trail's status changes where it has them (report_transition wrote one for every step),
otherwise from the nearest true date the report or its case holds. Until now a case's closing left its reports "in a
case"; they are closed here, on the case's closing date, as reports.services.reports_follow_case does from now on.
A migration cannot write the hash-chained audit trail, so these status changes have no audit row of their own: the
case's closing, which caused them, has one.
"""

from django.db import migrations
from django.utils import timezone


def backfill(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    Case = apps.get_model("cases", "Case")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    closed_cases = dict(Case.objects.filter(status="terminasi").values_list("pk", "closed_at"))
    now = timezone.now()
    fields = ("pk", "public_id", "status", "case_id", "received_at", "first_contact_at")
    # values(): the encrypted columns are neither read nor written.
    for row in Report.objects.exclude(status="new").values(*fields).iterator(chunk_size=500):
        steps = list(
            AuditEvent.objects.filter(
                action="report_status_changed", object_type="reports.report", object_id=str(row["public_id"])
            )
            .order_by("seq")
            .values_list("occurred_at", "extra")
        )
        left_new = [at for at, extra in steps if extra.get("from") == "new"]
        handled = left_new[0] if left_new else row["first_contact_at"] or row["received_at"]
        changes = {"handled_at": handled}
        status = row["status"]
        if status == "referred":
            referred = [at for at, extra in steps if extra.get("to") == "referred"]
            changes["referred_at"] = referred[-1] if referred else handled
        if row["case_id"] in closed_cases:  # in a case, or closed by an earlier run of this migration
            changes.update(status="closed", finished_at=closed_cases[row["case_id"]] or now)
        elif status == "closed":
            closed = [at for at, extra in steps if extra.get("to") == "closed"]
            changes["finished_at"] = closed[-1] if closed else handled
        Report.objects.filter(pk=row["pk"]).update(**changes)


def undo(apps, schema_editor):
    # Before this migration a report in a case was never closed (triage closes only reports without a case).
    Report = apps.get_model("reports", "Report")
    Report.objects.filter(status="closed", case__isnull=False, referred_at__isnull=False).update(status="referred")
    Report.objects.filter(status="closed", case__isnull=False).update(status="in_case")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_progress_steps"),
        ("cases", "0001_initial"),
        ("audit", "0005_alter_auditevent_action"),
    ]

    operations = [migrations.RunPython(backfill, undo, elidable=True)]
