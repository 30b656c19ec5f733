"""Demo referrals to every demo partner in every state. Every name is fake and marked [DEMO]."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from perisai.accounts.choices import AgencyKind, Role
from perisai.accounts.models import Agency, User
from perisai.accounts.selectors import partner_staff
from perisai.cases.choices import CaseStatus
from perisai.cases.models import Case
from perisai.core.simfoni import ServiceType
from perisai.referrals import services
from perisai.referrals.choices import ReferralStatus, SharedItem, Urgency
from perisai.referrals.events import referral_changed
from perisai.referrals.models import Referral

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
    if manager is None:
        return []
    created = []
    if not Referral.objects.exists():
        created += _referrals(manager)
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
        staff = partner_staff(agency).first()
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


def describe() -> str:
    return (
        f"Rujukan: {Referral.objects.count()} ke instansi mitra (polisi@, dinsos@, satpolpp@, rsud@, lbh@perisai.test "
        f"melihat rujukan untuk instansinya). Pengguna peran {Role.PARTNER_STAFF.label} tidak melihat kasus."
    )
