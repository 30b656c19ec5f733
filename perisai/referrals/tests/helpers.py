from perisai.cases import services as case_services
from perisai.cases.tests.factories import open_case
from perisai.core.simfoni import ServiceType
from perisai.referrals import services
from perisai.referrals.choices import Urgency

SECRET_NAME = "Siti Rahmawati Zulaikha"
SECRET_ADDRESS = "Jalan Kenari Gang Tujuh nomor 13"
SECRET_GUARDIAN = "Bapak Wiryono Sasmito"
SECRET_NIK = "3672014107150003"
SECRET_CHRONOLOGY = "Kronologi rahasia: kejadian di rumah paman pada malam hari."


def case_with_secrets(make_user, manager):
    """A case whose child has an identity we can search for on every page a partner can reach."""
    case = open_case(make_user, manager=manager, child_name=SECRET_NAME, narrative=SECRET_CHRONOLOGY)
    victim = case.victims.get()
    case_services.victim_save(
        actor=manager,
        case=case,
        version=case.version,
        victim=victim,
        name=SECRET_NAME,
        address=SECRET_ADDRESS,
        guardian=SECRET_GUARDIAN,
        nik=SECRET_NIK,
    )
    case.refresh_from_db()
    return case


def refer(actor, case, agency, **overrides):
    fields = {
        "agencies": [agency],
        "service_type": ServiceType.LAW_ENFORCEMENT,
        "urgency": Urgency.URGENT,
        "reason": "Mohon pendampingan pelaporan ke polisi dan visum.",
        "basis": "guardian_consent",
        "basis_note": "Ibu kandung setuju secara lisan.",
    }
    fields.update(overrides)
    return services.referral_send(actor=actor, case=case, **fields)[0]
