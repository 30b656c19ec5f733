"""Agency kinds and staff roles. Labels are Indonesian: they are what people read."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    HOME_OFFICE = "home_office", _("DP3AP2KB / UPTD PPA (kantor sendiri)")
    POLICE = "police", _("Kepolisian (Unit PPA)")
    SOCIAL = "social", _("Dinas Sosial")
    SATPOL_PP = "satpol_pp", _("Satpol PP")
    HEALTH = "health", _("Kesehatan (Dinkes, RSUD, puskesmas)")
    LEGAL_AID = "legal_aid", _("Bantuan hukum (LBH, P2TP2A)")
    EDUCATION = "education", _("Pendidikan (sekolah, dinas pendidikan)")
    RELIGIOUS = "religious", _("Keagamaan (Kemenag, KUA, tokoh agama)")
    PATBM = "patbm", _("PATBM (perlindungan anak berbasis masyarakat)")
    OTHER = "other", _("Lainnya")


class Role(models.TextChoices):
    INTAKE_OFFICER = "intake_officer", _("Petugas penerima pengaduan")
    CASE_MANAGER = "case_manager", _("Pendamping (manajer kasus)")
    SUPERVISOR = "supervisor", _("Supervisor (Kepala UPTD PPA)")
    PARTNER_STAFF = "partner_staff", _("Petugas instansi mitra")
    ANALYST = "analyst", _("Analis data / pimpinan")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles that work inside the home office. Partner staff work for another agency and only ever see
# what was referred to it (need-to-know, UU PDP 27/2022 Pasal 16 on purpose limitation).
HOME_OFFICE_ROLES = frozenset(
    {Role.INTAKE_OFFICER, Role.CASE_MANAGER, Role.SUPERVISOR, Role.ANALYST, Role.ADMINISTRATOR}
)
PARTNER_ROLES = frozenset({Role.PARTNER_STAFF})
