"""Demo agencies and one demo account per role. Clearly fake; refused in production by seed_demo."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from perisai.accounts import services
from perisai.accounts.choices import AgencyKind, Role
from perisai.accounts.models import Agency, User

DEMO_PASSWORD = "perisai-demo-2026"  # noqa: S105 - printed to the developer on purpose; never in production
# Demo accounts are enrolled with this published TOTP secret, so any authenticator app works for them; with
# DEBUG on, development also accepts settings.MFA_TOTP_INSECURE_BYPASS_CODE.
DEMO_TOTP_SECRET = "PERISAIDEMOCILEGONPERISAIDEMOABC"  # noqa: S105

HOME_OFFICE = "DP3AP2KB Kota Cilegon — UPTD PPA"

AGENCIES: list[tuple[str, str, str]] = [
    (HOME_OFFICE, "UPTD PPA Cilegon", AgencyKind.HOME_OFFICE),
    ("Unit PPA Satreskrim Polres Cilegon", "Unit PPA Polres", AgencyKind.POLICE),
    ("Dinas Sosial Kota Cilegon", "Dinsos", AgencyKind.SOCIAL),
    ("Satuan Polisi Pamong Praja Kota Cilegon", "Satpol PP", AgencyKind.SATPOL_PP),
    ("RSUD Kota Cilegon", "RSUD", AgencyKind.HEALTH),
    ("Lembaga Bantuan Hukum Demo Cilegon", "LBH Demo", AgencyKind.LEGAL_AID),
]


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    agency: str
    roles: tuple[str, ...]


ACCOUNTS: list[DemoAccount] = [
    DemoAccount("petugas@perisai.test", "Rina Demo (petugas pengaduan)", HOME_OFFICE, (Role.INTAKE_OFFICER,)),
    DemoAccount("pendamping@perisai.test", "Yuli Demo (pendamping)", HOME_OFFICE, (Role.CASE_MANAGER,)),
    DemoAccount("pendamping2@perisai.test", "Bayu Demo (pendamping)", HOME_OFFICE, (Role.CASE_MANAGER,)),
    DemoAccount("kepala@perisai.test", "Ibu Kepala Demo (supervisor)", HOME_OFFICE, (Role.SUPERVISOR,)),
    DemoAccount("analis@perisai.test", "Dimas Demo (analis data)", HOME_OFFICE, (Role.ANALYST,)),
    DemoAccount("admin@perisai.test", "Admin Demo (administrator)", HOME_OFFICE, (Role.ADMINISTRATOR,)),
    DemoAccount(
        "polisi@perisai.test",
        "Bripka Andi Demo (Unit PPA)",
        "Unit PPA Satreskrim Polres Cilegon",
        (Role.PARTNER_STAFF,),
    ),
    DemoAccount("dinsos@perisai.test", "Sari Demo (Dinas Sosial)", "Dinas Sosial Kota Cilegon", (Role.PARTNER_STAFF,)),
    DemoAccount(
        "satpolpp@perisai.test",
        "Rudi Demo (Satpol PP)",
        "Satuan Polisi Pamong Praja Kota Cilegon",
        (Role.PARTNER_STAFF,),
    ),
    DemoAccount("rsud@perisai.test", "dr. Nia Demo (RSUD)", "RSUD Kota Cilegon", (Role.PARTNER_STAFF,)),
    DemoAccount("lbh@perisai.test", "Hendra Demo (LBH)", "Lembaga Bantuan Hukum Demo Cilegon", (Role.PARTNER_STAFF,)),
]


def seed() -> list[str]:
    """Create what is missing; never touch what exists (a second run keeps changes made since)."""
    created: list[str] = []
    agencies: dict[str, Agency] = {}
    for name, short_name, kind in AGENCIES:
        agency = Agency.objects.filter(name=name).first()
        if agency is None:
            agency = services.agency_save(actor=None, name=name, kind=kind, short_name=short_name)
            created.append(f"instansi {name}")
        agencies[name] = agency
    for account in ACCOUNTS:
        if not User.objects.filter(email=account.email).exists():
            user = services.user_create(
                actor=None,
                email=account.email,
                full_name=account.full_name,
                agency=agencies[account.agency],
                roles=account.roles,
                password=DEMO_PASSWORD,
            )
            services.user_enrol_second_factor(actor=None, user=user, totp_secret=DEMO_TOTP_SECRET)
            created.append(f"akun {account.email}")
    return created


def describe() -> str:
    lines = [f"Akun demo (kata sandi semuanya: {DEMO_PASSWORD}):"]
    for account in ACCOUNTS:
        roles = ", ".join(str(Role(role).label) for role in account.roles)
        lines.append(f"  {account.email:<28} {roles}")
    lines.append("")
    bypass = getattr(settings, "MFA_TOTP_INSECURE_BYPASS_CODE", None)
    if bypass:
        lines.append(f"Kode verifikasi dua langkah (hanya di mode pengembangan): {bypass}")
    lines.append(f"Atau tambahkan kunci TOTP demo ini ke aplikasi autentikator: {DEMO_TOTP_SECRET}")
    return "\n".join(lines)
