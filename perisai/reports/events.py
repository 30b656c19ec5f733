"""What the reports app announces about its own rows (perisai.core.events). Apps above reports subscribe.

`report_changed` is fired for every write to a report, by the services and by the model's own save and
delete (so the admin and test factories announce theirs too), with the cases it belongs to now and before.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from perisai.core.events import DomainEvent
from perisai.reports.models import Report

# A report was written; `case_ids`: the case it is part of, and its former case if that changed.
report_changed = DomainEvent("report_changed", fields=("report_id", "case_ids"))
# An officer wrote to the reporter (services.report_message_from_staff): a channel the report came by (WhatsApp,
# SMS: perisai.channels) delivers it after commit.
staff_message_sent = DomainEvent("staff_message_sent", fields=("message_id",))
# What could identify the child or the reporter was erased (services.report_anonymise, retention): copies kept by
# higher apps, such as the number a WhatsApp reporter wrote from, are erased in the same transaction.
report_anonymised = DomainEvent("report_anonymised", fields=("report_id",))


def _report_saved(sender, instance: Report, **kwargs) -> None:
    case_ids = sorted({instance.case_id, instance.loaded_value("case_id")} - {None})
    report_changed.fire(report_id=instance.pk, case_ids=case_ids)
    instance.remember_saved_values()


def announce_model_writes() -> None:
    """Connected once, by ReportsConfig.ready()."""
    post_save.connect(_report_saved, sender=Report, dispatch_uid="reports-changed-saved")
    post_delete.connect(_report_saved, sender=Report, dispatch_uid="reports-changed-deleted")
