"""What the channels app follows of reports (perisai.reports.events)."""

from __future__ import annotations

from perisai.channels import services
from perisai.reports import events


def _staff_message_sent(*, message_id: int) -> None:
    services.staff_message_deliver(message_id=message_id)


def _report_anonymised(*, report_id: int) -> None:
    services.reporter_link_erase(report_id=report_id)


def subscribe() -> None:
    # After commit: sending is a side effect, and a message rolled back must never reach the reporter.
    events.staff_message_sent.subscribe(_staff_message_sent, after_commit=True)
    # In the transaction: the number must go with the rest of what anonymisation erases, or not at all.
    events.report_anonymised.subscribe(_report_anonymised)
