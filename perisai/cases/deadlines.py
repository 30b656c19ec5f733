"""Deadline rules: which tasks a new case gets, and by when (configurable; see PERISAI_DEADLINE_HOURS).

- First contact / outreach by risk (local service standard: high risk immediately, medium about 6 hours,
  otherwise about 3 working days; no national deadline exists).
- UU 12/2022 TPKS Pasal 41: for sexual violence the UPTD PPA must report to the police within 3x24 hours of
  the victim's report, unless it is recorded that the police already have it or the report was refused
  with a reason.
- Assessment and the intervention plan.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from perisai.core.simfoni import ViolenceType

POLICE_REPORT = "tpks_police_report"

# Outcomes that complete the TPKS task.
POLICE_OUTCOMES = [
    ("reported", _("Sudah dilaporkan ke polisi oleh UPTD PPA")),
    ("already_reported", _("Polisi sudah menerima laporan sebelumnya")),
    ("refused", _("Korban/wali menolak dengan alasan (wajib dicatat)")),
]
GENERAL_OUTCOMES = [("done", pgettext_lazy("task", "Selesai"))]
CANCELLED_OUTCOME = [("cancelled", _("Tidak diperlukan lagi: kasus ditutup"))]
# A case entered after the fact: the deadline had passed before Perisai knew of the case, so it is neither kept
# nor missed here (never created overdue). Left out of deadline compliance like a cancelled task.
NOT_APPLICABLE = "not_applicable"
NOT_APPLICABLE_OUTCOME = [(NOT_APPLICABLE, _("Tidak berlaku: batas waktu sudah lewat sebelum kasus dicatat"))]

DEFAULT_HOURS = {
    "first_contact": {"tinggi": 2, "sedang": 6, "rendah": 72},
    POLICE_REPORT: 72,
    "assessment": 7 * 24,
    "plan": 14 * 24,
}

TITLES = {
    "first_contact": _("Kontak pertama dan penjangkauan korban"),
    POLICE_REPORT: _("Laporkan ke polisi (UU TPKS Pasal 41, 3×24 jam)"),
    "assessment": _("Asesmen bio-psiko-sosial"),
    "plan": _("Rencana intervensi disusun dan diajukan"),
}


def hours() -> dict:
    configured = getattr(settings, "PERISAI_DEADLINE_HOURS", {}) or {}
    return {**DEFAULT_HOURS, **configured}


def tasks_for(
    case, *, reported_at: dt.datetime, sexual_violence: bool, met_in_person: bool = False
) -> list[tuple[str, str, dt.datetime]]:
    """(rule, title, due) for a new case. Deadlines run from the victim's report, not from triage. A child the
    team met in person (an outreach operation) has had the first contact already: no task for it."""
    table = hours()
    due = (
        []
        if met_in_person
        else [("first_contact", reported_at + dt.timedelta(hours=table["first_contact"][case.risk]))]
    )
    if sexual_violence:
        due.append((POLICE_REPORT, reported_at + dt.timedelta(hours=table[POLICE_REPORT])))
    due.append(("assessment", reported_at + dt.timedelta(hours=table["assessment"])))
    due.append(("plan", reported_at + dt.timedelta(hours=table["plan"])))
    return [(rule, str(TITLES[rule]), when) for rule, when in due]


def is_sexual(violence_types) -> bool:
    return ViolenceType.SEXUAL in (violence_types or [])
