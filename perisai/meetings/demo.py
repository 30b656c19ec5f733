"""One demo coordination meeting with action items, one of them overdue. Every name is fake and marked [DEMO]."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from perisai.accounts.choices import AgencyKind
from perisai.accounts.models import Agency, User
from perisai.cases.choices import CaseStatus
from perisai.cases.models import Case
from perisai.meetings import services
from perisai.meetings.models import Meeting

# The demo partners that attend (the agencies the demo refers cases to).
PARTNER_KINDS = [AgencyKind.POLICE, AgencyKind.SOCIAL, AgencyKind.SATPOL_PP, AgencyKind.HEALTH, AgencyKind.LEGAL_AID]


def seed() -> list[str]:
    supervisor = User.objects.filter(email="kepala@perisai.test").first()
    if supervisor is None or Meeting.objects.exists():
        return []
    return _meeting(supervisor)


def _meeting(supervisor: User) -> list[str]:
    agencies = list(Agency.objects.filter(kind__in=PARTNER_KINDS))
    cases = list(Case.objects.filter(status=CaseStatus.SERVICE).order_by("sequence")[:3])
    meeting = services.meeting_record(
        actor=supervisor,
        held_on=timezone.localdate() - dt.timedelta(days=10),
        title="[DEMO] Rapat koordinasi lintas sektor perlindungan anak",
        agencies=[*agencies, *Agency.objects.filter(kind=AgencyKind.HOME_OFFICE)],
        cases=cases,
        notes="[DEMO] Dibahas kasus yang terlambat dijawab dan operasi penjangkauan berikutnya.",
    )
    for offset, agency in enumerate(agencies[:3]):
        services.meeting_item_add(
            actor=supervisor,
            meeting=meeting,
            agency=agency,
            description="[DEMO] Laporkan perkembangan kasus yang dibahas",
            due_on=timezone.localdate() + dt.timedelta(days=7 * offset - 3),
        )
    return [f"rapat koordinasi {meeting.held_on:%d-%m-%Y}"]


def describe() -> str:
    return f"Rapat koordinasi: {Meeting.objects.count()}."
