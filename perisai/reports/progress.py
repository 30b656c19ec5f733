"""What a reporter may know of their report's progress: the steps it reached, with dates, and the conversation.

One reading for every channel that answers a reporter (the status page at /lapor/cek/, a WhatsApp "STATUS" reply),
so none of them can say more than another. It tells nothing about the case: no partner's name (police, hospital or
lawyer would each tell something about what happened to the child), no reason for a closing, no other report about
the same child (a merged report simply follows the other's progress).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from perisai.reports.choices import PUBLIC_STATUS, MessageSender, ProgressStep, ReportStatus
from perisai.reports.models import Report

# Closed by triage (no case): true for "not a case for this office" and "handed over to the competent authority"
# alike, so the reporter is neither told which nor left thinking nothing was done.
CLOSED_WITHOUT_CASE = _(
    "Petugas sudah memeriksa laporan Anda. Laporan ini tidak dilanjutkan sebagai kasus di UPTD PPA, atau sudah "
    "diserahkan ke instansi yang berwenang. Terima kasih sudah peduli pada anak ini."
)
CLOSED_WITH_CASE = _("Penanganan laporan ini sudah selesai. Terima kasih sudah melapor.")
# A line under a step not reached yet, and under one reached; nothing that is not true of every report.
AHEAD = {
    ProgressStep.HANDLED: _("Petugas UPTD PPA memeriksa laporan Anda."),
    ProgressStep.REFERRED: _("Bila diperlukan, misalnya untuk layanan kesehatan atau bantuan hukum."),
}
REACHED = {
    ProgressStep.REFERRED: _("Instansi mitra ikut menangani. Demi kerahasiaan, namanya tidak ditampilkan."),
}


@dataclass(frozen=True)
class Step:
    key: str  # a ProgressStep value
    label: str
    done: bool
    current: bool  # the step the report is at now: the last one reached
    at: dt.datetime | None  # when it was reached; None while not reached
    note: str = ""


@dataclass(frozen=True)
class Message:
    from_reporter: bool
    body: str
    sent_at: dt.datetime


@dataclass(frozen=True)
class ReportProgress:
    code: str
    received_at: dt.datetime
    headline: str  # one sentence for where it is now
    finished: bool
    steps: tuple[Step, ...]
    messages: tuple[Message, ...]  # oldest first, both sides

    @property
    def officer_messages(self) -> tuple[Message, ...]:
        return tuple(message for message in self.messages if not message.from_reporter)


def progress_of(report: Report) -> ReportProgress:
    """Built from the report's own row and messages only (prefetch `messages` to read it in two queries)."""
    finished = report.status == ReportStatus.CLOSED
    reached = {
        ProgressStep.RECEIVED: report.received_at,
        ProgressStep.HANDLED: report.handled_at or (None if report.status == ReportStatus.NEW else report.received_at),
        ProgressStep.REFERRED: report.referred_at,
        ProgressStep.FINISHED: report.finished_at if finished else None,
    }
    if finished and reached[ProgressStep.FINISHED] is None:
        reached[ProgressStep.FINISHED] = reached[ProgressStep.HANDLED]
    # Most cases are never referred: the step is shown ahead as "if needed", and left out of a finished story.
    shown = [step for step in ProgressStep if step != ProgressStep.REFERRED or reached[step] or not finished]
    last = max(index for index, step in enumerate(shown) if reached[step])
    steps = tuple(
        Step(
            key=step.value,
            label=str(step.label),
            done=reached[step] is not None,
            current=index == last,
            at=reached[step],
            note=str((REACHED if reached[step] else AHEAD).get(step, "")),
        )
        for index, step in enumerate(shown)
    )
    messages = tuple(
        Message(from_reporter=message.sender == MessageSender.REPORTER, body=message.body, sent_at=message.sent_at)
        for message in report.messages.all()
    )
    return ReportProgress(
        code=report.tracking_code,
        received_at=report.received_at,
        headline=str(headline(report)),
        finished=finished,
        steps=steps,
        messages=messages,
    )


def headline(report: Report):
    if report.status == ReportStatus.CLOSED:
        return CLOSED_WITH_CASE if report.case_id else CLOSED_WITHOUT_CASE
    return PUBLIC_STATUS[report.status]
