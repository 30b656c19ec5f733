"""Demo cases shaped like the published Cilegon figures: about 40 child victims from January to September
2023, mostly sexual violence by people close to the child and economic exploitation, spread over the
kecamatan (most in Jombang, Citangkil and Cibeber). Every name is fake and marked [DEMO]."""

from __future__ import annotations

import datetime as dt
import random
import uuid

from django.utils import timezone

from perisai.accounts.models import User
from perisai.cases import events, services
from perisai.cases.choices import CLOSURE_CHECKLIST, ApprovalKind, CaseStatus
from perisai.cases.models import Case
from perisai.core.simfoni import ServiceType
from perisai.regions.models import Region
from perisai.reports import services as report_services
from perisai.reports.choices import Channel, Harm
from perisai.reports.models import Report

NAMESPACE = uuid.UUID("0c7e2b1a-6d1f-4f0e-8c3b-2023c11e9d40")
FIRST_NAMES = [
    "Ayu",
    "Bunga",
    "Citra",
    "Dika",
    "Eka",
    "Fajar",
    "Gita",
    "Hana",
    "Indra",
    "Joko",
    "Kiki",
    "Lina",
    "Maya",
    "Nanda",
    "Oki",
    "Putri",
    "Rara",
    "Sinta",
    "Tegar",
    "Umi",
    "Vina",
    "Wulan",
    "Yoga",
    "Zahra",
]
# (harm, relationship, weight): sexual violence by people close to the child, and exploitation, dominate.
PATTERNS = [
    (Harm.TOUCHED, "tetangga", 9),
    (Harm.SEXUAL, "keluarga", 6),
    (Harm.SEXUAL, "orang_tua", 3),
    (Harm.SEXUAL, "pacar_teman", 4),
    (Harm.TOUCHED, "guru", 2),
    (Harm.WORK, "orang_tua", 7),
    (Harm.WORK, "lainnya", 3),
    (Harm.HIT, "orang_tua", 3),
    (Harm.NEGLECTED, "orang_tua", 2),
    (Harm.THREATENED, "pacar_teman", 1),
]
KECAMATAN_WEIGHTS = {
    "36.72.05": 9,
    "36.72.08": 8,
    "36.72.01": 7,
    "36.72.02": 4,
    "36.72.04": 4,
    "36.72.03": 3,
    "36.72.06": 3,
    "36.72.07": 2,
}
CASES = 40
STATUS_CYCLE = [CaseStatus.CLOSED] * 5 + [CaseStatus.SERVICE] * 3 + [CaseStatus.PLAN, CaseStatus.ASSESSMENT]
# The last cases of the demo period are still new (not yet assessed).
NEW_FROM_INDEX = 38


def seed() -> list[str]:
    officer = User.objects.filter(email="petugas@perisai.test").first()
    supervisor = User.objects.filter(email="kepala@perisai.test").first()
    managers = list(User.objects.filter(email__in=["pendamping@perisai.test", "pendamping2@perisai.test"]))
    if not (officer and supervisor and managers):
        return []
    rng = random.Random(2023)  # noqa: S311 - reproducible fake data, not security
    kelurahan = {code: list(Region.objects.filter(parent__code=code)) for code in KECAMATAN_WEIGHTS}
    created = []
    for index in range(CASES):
        token = str(uuid.uuid5(NAMESPACE, str(index)))
        if Report.objects.filter(
            submission_key=report_services.codes.submission_key(token), case__isnull=False
        ).exists():
            continue
        harm, relationship, _weight = rng.choices(PATTERNS, weights=[p[2] for p in PATTERNS])[0]
        kecamatan = rng.choices(list(KECAMATAN_WEIGHTS), weights=list(KECAMATAN_WEIGHTS.values()))[0]
        village = rng.choice(kelurahan[kecamatan])
        # Spread evenly over 1 January - 29 September 2023, in order, so registration numbers follow the dates.
        received = timezone.make_aware(dt.datetime(2023, 1, 1, 9, 0) + dt.timedelta(days=index * 6.8))
        sexual = harm in (Harm.TOUCHED, Harm.SEXUAL)
        submission = report_services.report_submit(
            actor=officer,
            token=token,
            channel=rng.choice(
                [Channel.WALK_IN, Channel.WHATSAPP, Channel.PHONE, Channel.SAPA129, Channel.SCHOOL, Channel.POLICE]
            ),
            received_at=received,
            fields={
                "urgent": sexual and index % 4 == 0,
                "harms": [harm],
                "kecamatan": village.parent,
                "kelurahan": village,
                "narrative": f"[DEMO] Kasus rekaan nomor {index + 1}.",
                "incident_date": (received - dt.timedelta(days=3)).date(),
                "child_name": f"[DEMO] {rng.choice(FIRST_NAMES)} {chr(65 + index % 26)}.",
                "child_age": rng.randint(5, 17) if sexual else rng.randint(8, 15),
                "child_sex": "p" if sexual and rng.random() < 0.85 else rng.choice(["p", "l"]),
                "perpetrator_relationship": relationship,
                "perpetrator_description": "[DEMO] ciri-ciri rekaan",
                "place": "rumah_tangga" if relationship in ("orang_tua", "keluarga") else "fasilitas_umum",
                "reporter_anonymous": True,
            },
        )
        manager = managers[index % len(managers)]
        case = services.case_open_from_report(
            actor=officer,
            report=submission.report,
            risk=rng.choice(["tinggi", "sedang", "rendah"]),
            authority="kota",
            case_manager=manager,
            opened_at=received,
        )
        target = CaseStatus.NEW if index >= NEW_FROM_INDEX else STATUS_CYCLE[index % len(STATUS_CYCLE)]
        case = _describe_perpetrator(case, manager, index)
        _advance(case, manager, supervisor, target)
        created.append(f"kasus {case.registration_number}")
    return created


DONE_BY_STATUS = {
    CaseStatus.ASSESSMENT: {"first_contact", "tpks_police_report"},
    CaseStatus.PLAN: {"first_contact", "tpks_police_report", "assessment"},
    CaseStatus.SERVICE: {"first_contact", "tpks_police_report", "assessment", "plan"},
    CaseStatus.CLOSED: {"first_contact", "tpks_police_report", "assessment", "plan"},
}


def _complete_tasks(case: Case, manager: User, target: str) -> None:
    for task in case.tasks.filter(rule__in=DONE_BY_STATUS.get(target, set())):
        outcome = "reported" if task.rule == "tpks_police_report" else "done"
        services.task_complete(actor=manager, task=task, outcome=outcome, note="[DEMO]")
        # Completed on time in the story, which happened in 2023.
        type(task).objects.filter(pk=task.pk).update(done_at=task.due_at)
        events.cases_changed([task.case_id])  # update() announces nothing by itself


def _describe_perpetrator(case: Case, manager: User, index: int) -> Case:
    """Most suspected perpetrators in the published cases are adult men; a separate generator keeps the rest of
    the demo (types, places, ages of the children) as it was."""
    perpetrator = case.perpetrators.first()
    if perpetrator is None:
        return case
    rng = random.Random(f"pelaku-{index}")  # noqa: S311 - reproducible fake data, not security
    services.perpetrator_save(
        actor=manager,
        case=case,
        version=case.version,
        perpetrator=perpetrator,
        sex="l" if rng.random() < 0.9 else "p",
        age=rng.randint(19, 58),
    )
    case.refresh_from_db()
    return case


def _advance(case: Case, manager: User, supervisor: User, target: str) -> None:
    _complete_tasks(case, manager, target)
    order = [CaseStatus.NEW, CaseStatus.ASSESSMENT, CaseStatus.PLAN, CaseStatus.SERVICE, CaseStatus.CLOSED]
    for step in order[1 : order.index(target) + 1]:
        kind = {CaseStatus.SERVICE: ApprovalKind.PLAN, CaseStatus.CLOSED: ApprovalKind.CLOSURE}.get(step)
        if kind == ApprovalKind.PLAN:
            services.plan_item_save(
                actor=manager,
                case=case,
                version=case.version,
                victim=case.victims.order_by("pk").first(),
                need="[DEMO] Pemulihan psikologis",
                service_type=ServiceType.PSYCHOLOGICAL,
                provider=manager.agency,
                responsible=manager,
                target_date=timezone.localdate(case.opened_at) + dt.timedelta(days=30),
            )
            case.refresh_from_db()
        if kind:
            checklist = {key: True for key, _label in CLOSURE_CHECKLIST} if kind == ApprovalKind.CLOSURE else None
            approval = services.approval_request(
                actor=manager, case=case, kind=kind, note="[DEMO]", checklist=checklist
            )
            services.approval_decide(actor=supervisor, approval=approval, approve=True, comment="[DEMO] Setuju.")
        case = services.case_transition(actor=manager, case=case, to=step, version=case.version)


def describe() -> str:
    return (
        f"Kasus: {Case.objects.count()} (pendamping@perisai.test dan pendamping2@perisai.test; "
        "kepala@perisai.test melihat semuanya)."
    )
