"""Demo referrals to every demo partner in every state, one outreach operation with several children, and one
coordination meeting with action items. Every name is fake and marked [DEMO]."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from perisai.accounts.choices import AgencyKind, Role
from perisai.accounts.models import Agency, User
from perisai.cases.choices import CaseStatus
from perisai.cases.models import Case
from perisai.core.simfoni import ServiceType
from perisai.referrals import services
from perisai.referrals.choices import ChildSituation, ReferralStatus, SharedItem, Urgency
from perisai.referrals.events import referral_changed
from perisai.referrals.models import Meeting, OutreachOperation, Referral
from perisai.regions.selectors import kecamatan_of_city

SERVICE_OF = {
    AgencyKind.POLICE: ServiceType.LAW_ENFORCEMENT,
    AgencyKind.SOCIAL: ServiceType.SOCIAL_REHABILITATION,
    AgencyKind.SATPOL_PP: ServiceType.OUTREACH,
    AgencyKind.HEALTH: ServiceType.HEALTH,
    AgencyKind.LEGAL_AID: ServiceType.LEGAL_AID,
}
STATES = [
    ReferralStatus.SENT,
    "overdue",
    ReferralStatus.ACCEPTED,
    ReferralStatus.DECLINED,
    ReferralStatus.COMPLETED,
    ReferralStatus.REVOKED,
]


def seed() -> list[str]:
    manager = User.objects.filter(email="pendamping@perisai.test").first()
    supervisor = User.objects.filter(email="kepala@perisai.test").first()
    officer = User.objects.filter(email="petugas@perisai.test").first()
    if not (manager and supervisor and officer):
        return []
    created = []
    if not Referral.objects.exists():
        created += _referrals(manager)
    if not OutreachOperation.objects.exists():
        created += _operation(officer)
    if not Meeting.objects.exists():
        created += _meeting(supervisor)
    return created


def _referrals(manager: User) -> list[str]:
    # Referrals come from open cases (a closed case is read-only): the demo manager's cases in service.
    cases = list(Case.objects.filter(case_manager=manager, status=CaseStatus.SERVICE).order_by("sequence"))
    partners = list(Agency.objects.filter(kind__in=SERVICE_OF).order_by("name"))
    if not cases or not partners:
        return []
    created = []
    for index, (agency, state) in enumerate((a, s) for a in partners for s in STATES):
        case = cases[index % len(cases)]
        staff = services.partner_staff(agency).first()
        if staff is None:
            continue
        referral = services.referral_send(
            actor=manager,
            case=case,
            agencies=[agency],
            service_type=SERVICE_OF[agency.kind],
            urgency=Urgency.URGENT if index % 3 == 0 else Urgency.NORMAL,
            reason="[DEMO] Mohon tindak lanjut sesuai kewenangan instansi.",
            items=[SharedItem.CHRONOLOGY] if state == ReferralStatus.COMPLETED else [],
            basis="guardian_consent",
            basis_note="[DEMO] Persetujuan ibu kandung, lisan, dicatat pendamping.",
        )[0]
        if state == "overdue":
            Referral.objects.filter(pk=referral.pk).update(due_at=timezone.now() - dt.timedelta(hours=5))
            referral_changed.fire(referral_id=referral.pk, case_ids=[referral.case_id])  # update() announces nothing
        elif state in (ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED):
            services.referral_accept(actor=staff, referral=referral)
            if agency.kind == AgencyKind.POLICE:
                services.referral_record_action(
                    actor=staff,
                    referral=referral,
                    action_type="police_report",
                    police_report_number="LP/B/DEMO/XI/2026/Polres Cilegon",
                    legal_stage="penyidikan",
                )
            if state == ReferralStatus.COMPLETED:
                services.referral_complete(actor=staff, referral=referral, outcome="[DEMO] Layanan sudah diberikan.")
        elif state == ReferralStatus.DECLINED:
            services.referral_decline(actor=staff, referral=referral, reason="[DEMO] Di luar kewenangan instansi kami.")
        elif state == ReferralStatus.REVOKED:
            services.referral_revoke(actor=manager, referral=referral, reason="[DEMO] Wali mencabut persetujuan.")
        created.append(f"rujukan {case.registration_number} → {agency}")
    return created


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


def _meeting(supervisor: User) -> list[str]:
    agencies = list(Agency.objects.filter(kind__in=SERVICE_OF))
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
    return (
        f"Rujukan: {Referral.objects.count()} ke instansi mitra (polisi@, dinsos@, satpolpp@, rsud@, lbh@perisai.test "
        f"melihat rujukan untuk instansinya). Operasi penjangkauan: {OutreachOperation.objects.count()}. "
        f"Rapat koordinasi: {Meeting.objects.count()}. Pengguna peran {Role.PARTNER_STAFF.label} tidak melihat kasus."
    )
