"""One demo outreach operation with several children, two of them already reports. Every name is fake and
marked [DEMO]."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from perisai.accounts.choices import AgencyKind
from perisai.accounts.models import Agency, User
from perisai.outreach import services
from perisai.outreach.choices import ChildSituation
from perisai.outreach.models import OutreachOperation
from perisai.regions.selectors import kecamatan_of_city


def seed() -> list[str]:
    officer = User.objects.filter(email="petugas@perisai.test").first()
    if officer is None or OutreachOperation.objects.exists():
        return []
    return _operation(officer)


def _operation(officer: User) -> list[str]:
    kecamatan = kecamatan_of_city().filter(code="36.72.05").first() or kecamatan_of_city().first()
    agencies = Agency.objects.filter(kind__in=[AgencyKind.SATPOL_PP, AgencyKind.SOCIAL, AgencyKind.HOME_OFFICE])
    operation = services.outreach_record(
        actor=officer,
        held_on=timezone.localdate() - dt.timedelta(days=3),
        kecamatan=kecamatan,
        location="[DEMO] Simpang lampu merah dan pasar",
        agencies=agencies,
        team="[DEMO] 4 petugas Satpol PP, 2 pekerja sosial, 1 pendamping UPTD PPA",
    )
    children = [
        ("[DEMO] R.", 9, "l", ChildSituation.BEGGING),
        ("[DEMO] S.", 12, "p", ChildSituation.WORKING),
        ("[DEMO] T.", 7, "l", ChildSituation.BEGGING),
        ("[DEMO] U.", 14, "l", ChildSituation.WORKING),
    ]
    for index, (name, age, sex, situation) in enumerate(children):
        child = services.outreach_child_add(
            actor=officer, operation=operation, name=name, estimated_age=age, sex=sex, situation=situation
        )
        if index < 2:  # the rest are still waiting for the intake officer's one click
            services.outreach_child_to_report(actor=officer, child=child)
    return [f"operasi penjangkauan {operation.held_on:%d-%m-%Y} ({len(children)} anak)"]


def describe() -> str:
    return f"Operasi penjangkauan: {OutreachOperation.objects.count()}."
