"""Case statuses, the workflow table, and the lists case files use."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from perisai.accounts.choices import Role
from perisai.core.simfoni import PerpetratorRelationship


class CaseStatus(models.TextChoices):
    NEW = "baru", _("Baru")
    ASSESSMENT = "asesmen", _("Asesmen")
    PLAN = "rencana", _("Rencana Intervensi")
    SERVICE = "layanan", _("Layanan")
    CLOSED = "terminasi", _("Terminasi (ditutup)")


class Risk(models.TextChoices):
    HIGH = "tinggi", _("Tinggi")
    MEDIUM = "sedang", _("Sedang")
    LOW = "rendah", _("Rendah")


class Authority(models.TextChoices):
    """Kewenangan (Permen PPPA 2/2022): which level of government must handle the case."""

    CITY = "kota", _("Kewenangan kota")
    PROVINCE = "provinsi", _("Lintas kota/kabupaten (provinsi)")
    NATIONAL = "pusat", _("Lintas provinsi atau negara (pusat)")


class ApprovalKind(models.TextChoices):
    PLAN = "plan", _("Rencana intervensi")
    CLOSURE = "closure", _("Terminasi")


class ApprovalDecision(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    APPROVED = "approved", _("Disetujui")
    SENT_BACK = "sent_back", _("Dikembalikan")


class LawfulBasis(models.TextChoices):
    """UU PDP 27/2022 Pasal 20 and 25: children's data needs a guardian's consent, unless the office acts
    under its legal duty (the usual basis when the guardian is the suspected perpetrator)."""

    GUARDIAN_CONSENT = "guardian_consent", _("Persetujuan orang tua/wali")
    CHILD_ASSENT = "child_assent", _("Persetujuan orang tua/wali dan persetujuan anak sesuai usianya")
    LEGAL_DUTY = "legal_duty", _("Kewajiban hukum kantor (misalnya wali adalah terduga pelaku)")
    VITAL_INTEREST = "vital_interest", _("Melindungi kepentingan vital anak (darurat)")


CASE_MANAGEMENT_ROLES = (Role.CASE_MANAGER, Role.SUPERVISOR)


@dataclass(frozen=True)
class Transition:
    roles: tuple[str, ...]
    needs_approval: str | None = None  # an approved request of this kind must exist
    label: str = ""


# The whole workflow, in one place (tested exhaustively: every pair of states x every role).
TRANSITIONS: dict[tuple[str, str], Transition] = {
    (CaseStatus.NEW, CaseStatus.ASSESSMENT): Transition(CASE_MANAGEMENT_ROLES, label=_("Mulai asesmen")),
    (CaseStatus.ASSESSMENT, CaseStatus.PLAN): Transition(CASE_MANAGEMENT_ROLES, label=_("Susun rencana intervensi")),
    (CaseStatus.PLAN, CaseStatus.SERVICE): Transition(
        CASE_MANAGEMENT_ROLES, needs_approval=ApprovalKind.PLAN, label=_("Mulai layanan (rencana disetujui)")
    ),
    (CaseStatus.SERVICE, CaseStatus.CLOSED): Transition(
        CASE_MANAGEMENT_ROLES, needs_approval=ApprovalKind.CLOSURE, label=_("Tutup kasus (terminasi disetujui)")
    ),
    (CaseStatus.CLOSED, CaseStatus.SERVICE): Transition((Role.SUPERVISOR,), label=_("Buka kembali kasus")),
}

# Which approval a case manager may ask for in which status.
APPROVAL_STAGE = {ApprovalKind.PLAN: CaseStatus.PLAN, ApprovalKind.CLOSURE: CaseStatus.SERVICE}


class PlanItemStatus(models.TextChoices):
    PLANNED = "direncanakan", _("Direncanakan")
    IN_PROGRESS = "berjalan", _("Berjalan")
    DONE = "selesai", _("Selesai")
    CANCELLED = "batal", _("Dibatalkan")


# Terminasi: what the case manager confirms and the supervisor reads before approving a closure.
CLOSURE_CHECKLIST = (
    ("goals_met", _("Tujuan rencana intervensi tercapai")),
    ("referrals_finished", _("Semua rujukan selesai atau dicabut")),
    ("legal_track_settled", _("Proses hukum sudah jelas: selesai, dilanjutkan penyidik, atau tidak ditempuh")),
    ("follow_up_arranged", _("Tindak lanjut sesudah kasus ditutup sudah diatur (misalnya pemantauan oleh PATBM)")),
)


class TeamRole(models.TextChoices):
    PSYCHOLOGIST = "psikolog", _("Psikolog")
    SOCIAL_WORKER = "pekerja_sosial", _("Pekerja sosial")
    LEGAL_AID = "bantuan_hukum", _("Pendamping hukum")
    COUNSELLOR = "konselor", _("Konselor")
    OTHER = "lainnya", _("Lainnya")


# "Orang terdekat korban": the people around the child whom the office's campaigns name. One list for the
# statistics' grouping (perisai/stats/counting.py) and the case list's filter, so a number's link matches it.
CLOSE_RELATIONSHIPS = frozenset(
    {
        PerpetratorRelationship.PARENT,
        PerpetratorRelationship.FAMILY,
        PerpetratorRelationship.NEIGHBOUR,
        PerpetratorRelationship.TEACHER,
        PerpetratorRelationship.PARTNER_FRIEND,
    }
)
