"""Demo PATBM groups with members, a report one of them brought, and prevention activities over the last months,
spread so the dashboard's map shows kelurahan with cases and little outreach. Every name is fake, marked [DEMO]."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from perisai.accounts.choices import AgencyKind
from perisai.accounts.models import Agency, User
from perisai.prevention import services
from perisai.prevention.choices import Audience, MemberRole, Topic
from perisai.prevention.models import PatbmGroup, PreventionActivity
from perisai.regions.models import Region
from perisai.reports.choices import Harm

NAMESPACE = uuid.UUID("0b3c7f0e-5a0d-4c55-9d8e-7a1f2a3b4c5d")

# (kelurahan code, group name)
GROUPS = [
    ("36.72.05.1003", "[DEMO] PATBM Masigit"),
    ("36.72.01.1001", "[DEMO] PATBM Cibeber"),
    ("36.72.08.1001", "[DEMO] PATBM Ciwedus"),
]
# (kelurahan code, when: days ago or a date, topic, audience, participants, organiser kind, with the group there).
# Some fall in January-September 2023 beside the demo's 40 victims (perisai/cases/demo.py), so the dashboard's map
# of that period shows kelurahan covered, under-covered and with cases but no outreach at all.
ACTIVITIES = [
    ("36.72.05.1003", 12, Topic.SEXUAL_VIOLENCE, Audience.STUDENTS, 120, AgencyKind.HOME_OFFICE, True),
    ("36.72.05.1003", 40, Topic.PARENTING, Audience.PARENTS, 45, AgencyKind.HOME_OFFICE, True),
    ("36.72.01.1001", 20, Topic.REPORTING, Audience.COMMUNITY, 60, AgencyKind.HOME_OFFICE, True),
    ("36.72.08.1001", 8, Topic.BULLYING, Audience.STUDENTS, 200, AgencyKind.EDUCATION, False),
    ("36.72.07.1006", 15, Topic.EXPLOITATION, Audience.WORKERS, 30, AgencyKind.SOCIAL, False),
    ("36.72.03.1001", 55, Topic.ONLINE, Audience.TEACHERS, 35, AgencyKind.HOME_OFFICE, False),
    ("36.72.06.1001", 25, Topic.CHILD_MARRIAGE, Audience.LEADERS, 25, AgencyKind.RELIGIOUS, False),
    (
        "36.72.05.1003",
        dt.date(2023, 2, 14),
        Topic.SEXUAL_VIOLENCE,
        Audience.STUDENTS,
        150,
        AgencyKind.HOME_OFFICE,
        True,
    ),
    ("36.72.05.1003", dt.date(2023, 5, 20), Topic.PARENTING, Audience.PARENTS, 60, AgencyKind.HOME_OFFICE, True),
    ("36.72.05.1003", dt.date(2023, 8, 9), Topic.REPORTING, Audience.COMMUNITY, 80, AgencyKind.HOME_OFFICE, True),
    ("36.72.02.1001", dt.date(2023, 3, 7), Topic.RIGHTS, Audience.STUDENTS, 90, AgencyKind.EDUCATION, False),
    ("36.72.07.1004", dt.date(2023, 7, 23), Topic.EXPLOITATION, Audience.WORKERS, 40, AgencyKind.SOCIAL, False),
    ("36.72.01.1001", dt.date(2023, 6, 2), Topic.SEXUAL_VIOLENCE, Audience.PARENTS, 70, AgencyKind.HOME_OFFICE, True),
    ("36.72.04.1001", dt.date(2023, 4, 18), Topic.BULLYING, Audience.TEACHERS, 30, AgencyKind.HOME_OFFICE, False),
]


def seed() -> list[str]:
    officer = User.objects.filter(email="petugas@perisai.test").first()
    office = Agency.objects.filter(kind=AgencyKind.HOME_OFFICE).first()
    if officer is None or office is None or PatbmGroup.objects.exists():
        return []
    today = timezone.localdate()
    groups = {}
    for code, name in GROUPS:
        kelurahan = Region.objects.get(code=code)
        group = services.patbm_group_create(
            actor=officer, name=name, kelurahan=kelurahan, formed_on=dt.date(2022, 8, 1), decree=""
        )
        for index, role in enumerate((MemberRole.CHAIR, MemberRole.SECRETARY, MemberRole.MEMBER)):
            services.patbm_member_add(
                actor=officer,
                group=group,
                name=f"[DEMO] Relawan {index + 1} {kelurahan.name}",
                phone=f"+62812000001{index:02d}",
                role=role,
            )
        groups[code] = group
    for code, when, topic, audience, participants, kind, with_group in ACTIVITIES:
        organiser = Agency.objects.filter(kind=kind).first() or office
        services.activity_record(
            actor=officer,
            organiser=organiser,
            agencies=[office] if organiser != office else [],
            patbm_group=groups.get(code) if with_group else None,
            held_on=when if isinstance(when, dt.date) else today - dt.timedelta(days=when),
            place="[DEMO] Aula kelurahan",
            kelurahan=Region.objects.get(code=code),
            audience=audience,
            topic=topic,
            title="",
            participants=participants,
            materials="[DEMO] Leaflet Perisai",
        )
    group = groups["36.72.05.1003"]
    services.patbm_report_record(
        actor=officer,
        group=group,
        fields={
            "urgent": False,
            "harms": [Harm.HIT],
            "narrative": "[DEMO] Relawan PATBM mendengar anak sering dipukul. Cerita rekaan, bukan kejadian nyata.",
            "kecamatan": group.kelurahan.parent,
            "kelurahan": group.kelurahan,
            "location_detail": "[DEMO] dekat musala",
            "incident_period": "this_week",
            "child_name": "",
            "child_age": 10,
            "child_sex": "l",
            "reporter_anonymous": False,
            "reporter_name": "[DEMO] Relawan 1 Masigit",
            "reporter_phone": "+6281200000100",
            "reporter_relation": "patbm",
        },
        token=str(uuid.uuid5(NAMESPACE, "patbm-report")),
        received_at=timezone.now() - dt.timedelta(hours=6),
    )
    return [f"{len(groups)} kelompok PATBM, {len(ACTIVITIES)} kegiatan pencegahan, 1 laporan dari PATBM"]


def describe() -> str:
    return (
        f"Kelompok PATBM: {PatbmGroup.objects.count()}; kegiatan pencegahan: {PreventionActivity.objects.count()} "
        "(lihat /staf/pencegahan/)."
    )
