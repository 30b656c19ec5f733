"""Fill a database with N synthetic cases (default 100,000), 1.5 victims per case, and their deadline tasks.

    DATABASE_URL=... PERISAI_VAR_DIR=... .venv/bin/python bench/generate_cases.py [--cases 100000] [--seed 1]

Unlike bench/generate_reports.py this does not go through the case services one case at a time (about 20
queries, an audit event and history rows per case: hours for 100,000 cases). It writes rows with
bulk_create, which still runs every field's pre_save and get_prep_value, so:

- EncryptedTextField / EncryptedCharField values are encrypted (get_prep_value), and
- BlindIndexField values are computed (pre_save),

exactly as a normal save would store them; `verify()` reads raw rows back to prove it. What bulk_create skips,
this module does itself: Victim.violence_key (computed in Victim.save()), the registration number, year and
sequence (normally perisai.cases.numbering, one locked counter row per case; here assigned in bulk and the
counters moved past them). Not written: history rows (simple_history), audit events, reports, approvals,
services, notes, perpetrators. The case list does not read any of them.

Users go through the real services (accounts.services.user_create / agency_save, actor=None). Every name is
"... Uji <n>" and every chronology starts with "[DATA UJI SINTETIS]" (bench/synthetic.py); NIKs use the
non-existent kecamatan code 3672.99, so nothing can be mistaken for a real child. Refuses to run with
PERISAI_ENV=production.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import synthetic  # noqa: E402

BATCH = 2000  # cases per transaction; victims and tasks of those cases go in the same transaction
BULK_BATCH = 1000  # rows per INSERT statement
CASE_MANAGERS = 30
EMAIL_DOMAIN = "uji.perisai.invalid"
SUPERVISOR_EMAIL = f"supervisor.uji@{EMAIL_DOMAIN}"
# The well-known example secret from the Google Authenticator docs: synthetic bench accounts only.
BENCH_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"  # noqa: S105

# Cases opened per year: the caseload grows (more reporting channels, more awareness); 2026 is partial.
YEAR_WEIGHTS = {2019: 8, 2020: 9, 2021: 11, 2022: 13, 2023: 14, 2024: 15, 2025: 16, 2026: 14}
# Kecamatan 36.72.01-08 (Cibeber, Cilegon, Pulomerak, Ciwandan, Jombang, Gerogol, Purwakarta, Citangkil),
# roughly by population.
KECAMATAN_WEIGHTS = {
    "36.72.01": 14,
    "36.72.02": 11,
    "36.72.03": 13,
    "36.72.04": 12,
    "36.72.05": 18,
    "36.72.06": 8,
    "36.72.07": 10,
    "36.72.08": 14,
}
RISKS = (["tinggi", "sedang", "rendah"], [20, 50, 30])
# Sexual violence is the most reported type against children in SIMFONI-PPA, then physical and psychological.
VIOLENCE = (
    ["seksual", "fisik", "psikis", "penelantaran", "eksploitasi", "trafficking", "lainnya"],
    [35, 25, 25, 8, 3, 1, 3],
)
PLACES = ["rumah_tangga", "rumah_tangga", "sekolah", "fasilitas_umum", "tempat_kerja", "lainnya", ""]
LAWFUL_BASES = ["guardian_consent", "child_assent", "legal_duty", "vital_interest", ""]
# Victims per case: 60 % one, 30 % two, 10 % three = 1.5 on average (exact proportions, shuffled).
VICTIM_MIX = {1: 6, 2: 3, 3: 1}
# Status by how long ago the case was opened: old cases are mostly closed, recent ones still in the workflow.
STATUS_BY_AGE = [
    (30, (["baru", "asesmen", "rencana", "layanan"], [35, 40, 20, 5])),
    (180, (["baru", "asesmen", "rencana", "layanan", "terminasi"], [5, 20, 25, 45, 5])),
    (365, (["asesmen", "rencana", "layanan", "terminasi"], [5, 10, 45, 40])),
    (None, (["rencana", "layanan", "terminasi"], [1, 7, 92])),
]
PAST_TASK_DONE = 0.9  # share of an open case's past-due tasks that were done (the rest are overdue)
TEAM_SHARE = 0.15  # cases with one extra team member (psychologist, social worker, ...)
RESTRICTED_SHARE = 0.015
UNASSIGNED_NEW_SHARE = 0.1  # new cases still waiting for a case manager


@dataclass
class Facts:
    cases: int = 0
    victims: int = 0
    tasks: int = 0
    overdue_tasks: int = 0
    team_members: int = 0
    grants: int = 0
    seconds: float = 0.0
    supervisor_email: str = SUPERVISOR_EMAIL
    case_manager_emails: list[str] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    checks: dict[str, bool] = field(default_factory=dict)


def _weighted(rng: random.Random, choices: tuple[list, list]):
    return rng.choices(choices[0], weights=choices[1], k=1)[0]


def ensure_users(*, case_managers: int = CASE_MANAGERS) -> dict:
    """The home office, ~30 case managers, an intake officer and the bench supervisor (with a TOTP factor),
    through the real services; reused when they already exist (a second run appends cases)."""
    from perisai.accounts.choices import AgencyKind, Role
    from perisai.accounts.models import Agency, User
    from perisai.accounts.services import agency_save, user_create, user_enrol_second_factor

    office = Agency.objects.filter(kind=AgencyKind.HOME_OFFICE).first()
    if office is None:
        office = agency_save(
            actor=None, name="DP3AP2KB Kota Cilegon (uji)", short_name="UPTD PPA (uji)", kind=AgencyKind.HOME_OFFICE
        )

    def user(email: str, name: str, roles: list[str], second_factor: bool = False):
        existing = User.objects.filter(email=email).first()
        if existing is not None:
            return existing
        created = user_create(actor=None, email=email, full_name=name, agency=office, roles=roles)
        if second_factor:
            user_enrol_second_factor(actor=None, user=created, totp_secret=BENCH_TOTP_SECRET)
        return created

    managers = [
        user(f"pendamping{i:02d}.uji@{EMAIL_DOMAIN}", f"Pendamping Uji {i}", [Role.CASE_MANAGER], second_factor=i == 1)
        for i in range(1, case_managers + 1)
    ]
    intake = user(f"penerima.uji@{EMAIL_DOMAIN}", "Penerima Uji", [Role.INTAKE_OFFICER])
    supervisor = user(SUPERVISOR_EMAIL, "Supervisor Uji", [Role.SUPERVISOR], second_factor=True)
    return {"office": office, "managers": managers, "intake": intake, "supervisor": supervisor}


def _opened_times(rng: random.Random, count: int, now: dt.datetime) -> list[dt.datetime]:
    """`count` opening times spread over 2019..now by YEAR_WEIGHTS, sorted (numbers follow the order)."""
    from zoneinfo import ZoneInfo

    from django.conf import settings

    zone = ZoneInfo(settings.TIME_ZONE)
    years = rng.choices(list(YEAR_WEIGHTS), weights=list(YEAR_WEIGHTS.values()), k=count)
    times = []
    for year in years:
        start = dt.datetime(year, 1, 1, tzinfo=zone)
        end = min(dt.datetime(year + 1, 1, 1, tzinfo=zone), now - dt.timedelta(hours=1))
        span = max((end - start).total_seconds(), 1.0)
        # Microseconds too, so no two cases share an opening time and the list order is well defined.
        times.append(start + dt.timedelta(seconds=rng.uniform(0, span)))
    times.sort()
    return times


def _status_for(rng: random.Random, age_days: float) -> str:
    for limit, choices in STATUS_BY_AGE:
        if limit is None or age_days < limit:
            return _weighted(rng, choices)
    raise AssertionError("unreachable")


def _next_sequences(years: set[int]) -> dict[int, int]:
    from django.db.models import Max

    from perisai.cases.models import Case, CaseNumberCounter

    start = {c.year: c.last for c in CaseNumberCounter.objects.filter(year__in=years)}
    for row in Case.objects.filter(year__in=years).values("year").annotate(top=Max("sequence")):
        start[row["year"]] = max(start.get(row["year"], 0), row["top"])
    return {year: start.get(year, 0) for year in years}


def generate(count: int, *, seed: int = 1, progress: bool = True) -> Facts:
    """Create `count` cases with their victims, tasks, some team members and a few access grants."""
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from perisai.cases import deadlines
    from perisai.cases.models import Case, CaseAccessGrant, CaseNumberCounter, CaseTask, CaseTeamMember, Victim
    from perisai.cases.numbering import ROMAN_MONTHS
    from perisai.regions.models import Region

    started = time.monotonic()
    rng = synthetic._rng(seed)
    people = ensure_users()
    managers, supervisor, intake = people["managers"], people["supervisor"], people["intake"]
    pairs = synthetic.load_regions()
    regions = {r.code: r for r in Region.objects.filter(code__startswith="36.72")}
    missing = {code for pair in pairs for code in pair} - set(regions)
    if missing:
        raise SystemExit(f"regions missing from the database (run migrate first): {sorted(missing)[:5]} ...")
    kelurahan_of = defaultdict(list)
    for kecamatan, kelurahan in pairs:
        kelurahan_of[kecamatan].append(kelurahan)
    kecamatan_codes = list(KECAMATAN_WEIGHTS)
    kecamatan_weights = list(KECAMATAN_WEIGHTS.values())

    now = timezone.now()
    opened = _opened_times(rng, count, now)
    local_years = [timezone.localtime(t).year for t in opened]
    sequence = _next_sequences(set(local_years))
    victims_per_case = []
    for n, share in VICTIM_MIX.items():
        victims_per_case += [n] * round(count * share / sum(VICTIM_MIX.values()))
    victims_per_case = (victims_per_case + [1] * count)[:count]
    rng.shuffle(victims_per_case)
    hours = deadlines.hours()
    facts = Facts(case_manager_emails=[m.email for m in managers])
    victim_number = Victim.objects.count()
    case_number = Case.objects.count()

    for batch_start in range(0, count, BATCH):
        batch = range(batch_start, min(batch_start + BATCH, count))
        cases, plans = [], []
        for i in batch:
            when = opened[i]
            local = timezone.localtime(when)
            year = local.year
            sequence[year] += 1
            age_days = (now - when).total_seconds() / 86_400
            status = _status_for(rng, age_days)
            risk = _weighted(rng, RISKS)
            kecamatan = rng.choices(kecamatan_codes, weights=kecamatan_weights, k=1)[0]
            manager = rng.choice(managers)
            if status == "baru" and rng.random() < UNASSIGNED_NEW_SHARE:
                manager = None
            restricted = rng.random() < RESTRICTED_SHARE
            n = case_number + i + 1
            basis = rng.choice(LAWFUL_BASES)
            cases.append(
                Case(
                    registration_number=settings.PERISAI_CASE_NUMBER_FORMAT.format(
                        seq=sequence[year], roman_month=ROMAN_MONTHS[local.month - 1], month=local.month, year=year
                    ),
                    year=year,
                    sequence=sequence[year],
                    status=status,
                    risk=risk,
                    authority="kota" if rng.random() < 0.95 else "provinsi",
                    incident_date=(when - dt.timedelta(days=rng.randint(0, 60))).date(),
                    kecamatan=regions[kecamatan],
                    kelurahan=regions[rng.choice(kelurahan_of[kecamatan])],
                    place=rng.choice(PLACES),
                    chronology=synthetic.narrative(rng, n),
                    case_manager=manager,
                    restricted=restricted,
                    lawful_basis=basis,
                    lawful_basis_note="Persetujuan wali uji (fiktif)" if basis == "guardian_consent" else "",
                    lawful_basis_recorded_at=when + dt.timedelta(days=1) if basis else None,
                    opened_at=when,
                    opened_by=intake if rng.random() < 0.7 else supervisor,
                    closed_at=(
                        min(when + dt.timedelta(days=rng.uniform(30, 300)), now) if status == "terminasi" else None
                    ),
                )
            )
            plans.append(victims_per_case[i])
        with transaction.atomic():
            Case.objects.bulk_create(cases, batch_size=BULK_BATCH)
            victims, tasks, team = [], [], []
            for case, victim_count in zip(cases, plans, strict=True):
                facts.statuses[case.status] += 1
                sexual = False
                for _ in range(victim_count):
                    victim_number += 1
                    types = sorted(set(rng.choices(VIOLENCE[0], weights=VIOLENCE[1], k=rng.choice([1, 1, 2]))))
                    sexual = sexual or "seksual" in types
                    age = rng.randint(1, 17)
                    born = case.opened_at.date() - dt.timedelta(days=age * 365 + rng.randint(0, 364))
                    named = rng.random() < 0.85
                    victims.append(
                        Victim(
                            case=case,
                            name=f"Anak Uji {victim_number}" if named else "",
                            sex=rng.choice(["p", "p", "p", "l", "l"]),
                            birth_date=born if rng.random() < 0.6 else None,
                            estimated_age=age,
                            # 3672.99 is no kecamatan of Cilegon: a NIK nobody can hold.
                            nik=f"367299{born:%d%m%y}{victim_number % 10_000:04d}" if rng.random() < 0.4 else "",
                            kelurahan=case.kelurahan,
                            address=f"Gang Uji {victim_number % 40 + 1} (alamat fiktif)" if rng.random() < 0.7 else "",
                            guardian=f"Wali Uji {victim_number}" if rng.random() < 0.5 else "",
                            disability=rng.random() < 0.04,
                            violence_types=types,
                            # Victim.save() computes this; bulk_create does not call save().
                            violence_key="|" + "|".join(types) + "|",
                            domestic=rng.random() < 0.4,
                            needs="Pendampingan psikologis (contoh)" if rng.random() < 0.3 else "",
                        )
                    )
                reported = case.opened_at - dt.timedelta(hours=rng.uniform(0, 48))
                rules = [("first_contact", hours["first_contact"][case.risk])]
                if sexual:
                    rules.append((deadlines.POLICE_REPORT, hours[deadlines.POLICE_REPORT]))
                rules += [("assessment", hours["assessment"]), ("plan", hours["plan"])]
                for rule, after in rules:
                    due = reported + dt.timedelta(hours=after)
                    closed = case.status == "terminasi"
                    done = closed or (due < now and rng.random() < PAST_TASK_DONE)
                    done_at = min(due - dt.timedelta(hours=rng.uniform(-72, after * 0.8)), now) if done else None
                    if not done and due < now:
                        facts.overdue_tasks += 1
                    outcome = ""
                    if done:
                        outcome = (
                            rng.choice(["reported", "already_reported"]) if rule == deadlines.POLICE_REPORT else "done"
                        )
                    tasks.append(
                        CaseTask(
                            case=case,
                            rule=rule,
                            title=str(deadlines.TITLES[rule]),
                            due_at=due,
                            assignee=case.case_manager,
                            done_at=done_at,
                            done_by=case.case_manager if done else None,
                            outcome=outcome,
                        )
                    )
                if rng.random() < TEAM_SHARE:
                    member = rng.choice([m for m in managers if m != case.case_manager])
                    team.append(
                        CaseTeamMember(
                            case=case,
                            user=member,
                            team_role=rng.choice(["psikolog", "pekerja_sosial", "bantuan_hukum", "konselor"]),
                            added_at=case.opened_at,
                        )
                    )
            Victim.objects.bulk_create(victims, batch_size=BULK_BATCH)
            CaseTask.objects.bulk_create(tasks, batch_size=BULK_BATCH)
            CaseTeamMember.objects.bulk_create(team, batch_size=BULK_BATCH)
        facts.cases += len(cases)
        facts.victims += len(victims)
        facts.tasks += len(tasks)
        facts.team_members += len(team)
        if progress:
            done = batch.stop
            rate = done / max(time.monotonic() - started, 1e-9)
            print(f"  generated {done}/{count} cases ({rate:.0f}/s)", file=sys.stderr, flush=True)

    with transaction.atomic():
        for year, last in sequence.items():
            CaseNumberCounter.objects.update_or_create(year=year, defaults={"last": last})
        # Break-the-glass openings of restricted cases by the supervisor: a few still valid, most expired.
        restricted = list(Case.objects.filter(restricted=True).order_by("-opened_at")[:20])
        grants = [
            CaseAccessGrant(
                case=case,
                user=supervisor,
                reason="Akses darurat uji (fiktif)",
                granted_at=now - dt.timedelta(hours=2 + 24 * k),
                expires_at=now + dt.timedelta(hours=22 - 24 * k),
            )
            for k, case in enumerate(restricted)
        ]
        CaseAccessGrant.objects.bulk_create(grants)
        facts.grants = len(grants)
    facts.seconds = time.monotonic() - started
    facts.checks = verify()
    return facts


def verify() -> dict[str, bool]:
    """Read raw rows back: encrypted columns hold ciphertext that decrypts, blind indexes and violence_key
    match what a normal save() would have stored, and the case list sees what it should."""
    from django.db import connection

    from perisai.cases.models import Case, Victim
    from perisai.core.fields import PREFIX

    name_field = Victim._meta.get_field("name_index")
    nik_field = Victim._meta.get_field("nik_index")
    checks: dict[str, bool] = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, chronology FROM cases_case WHERE chronology <> '' ORDER BY id DESC LIMIT 1")
        case_id, raw_chronology = cursor.fetchone()
        cursor.execute(
            "SELECT id, name, name_index, nik, nik_index, address, violence_types, violence_key FROM cases_victim "
            "WHERE name <> '' AND nik <> '' ORDER BY id DESC LIMIT 1"
        )
        victim_id, raw_name, raw_name_index, raw_nik, raw_nik_index, raw_address, raw_types, raw_key = cursor.fetchone()
    case = Case.objects.get(pk=case_id)
    victim = Victim.objects.get(pk=victim_id)
    checks["chronology stored encrypted"] = raw_chronology.startswith(PREFIX) and synthetic.MARK not in raw_chronology
    checks["chronology decrypts to the fake text"] = case.chronology.startswith(synthetic.MARK)
    checks["victim name stored encrypted"] = raw_name.startswith(PREFIX) and "Uji" not in raw_name
    checks["victim NIK stored encrypted"] = raw_nik.startswith(PREFIX) and "367299" not in raw_nik
    checks["victim address encrypted or empty"] = raw_address == "" or raw_address.startswith(PREFIX)
    checks["name blind index = index_for(name)"] = bool(raw_name_index) and raw_name_index == name_field.index_for(
        victim.name
    )
    checks["NIK blind index = index_for(nik)"] = bool(raw_nik_index) and raw_nik_index == nik_field.index_for(
        victim.nik
    )
    types = raw_types if isinstance(raw_types, list) else json.loads(raw_types)
    checks["violence_key as Victim.save() computes it"] = raw_key == "|" + "|".join(sorted(set(types))) + "|"
    return checks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="number of cases to create [100000]")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")
    args = parser.parse_args(argv)
    if not 0 < args.cases <= 5_000_000:
        parser.error("--cases must be 1..5,000,000")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    if settings.PRODUCTION:
        print("Refusing to add synthetic cases to a production database.", file=sys.stderr)
        return 2
    facts = generate(args.cases, seed=args.seed)
    print(
        f"created {facts.cases} cases, {facts.victims} victims, {facts.tasks} tasks ({facts.overdue_tasks} overdue), "
        f"{facts.team_members} team members, {facts.grants} access grants in {facts.seconds:.0f} s"
    )
    print("statuses: " + ", ".join(f"{k} {v}" for k, v in sorted(facts.statuses.items())))
    for check, ok in facts.checks.items():
        print(f"  {'ok  ' if ok else 'FAIL'} {check}")
    return 0 if all(facts.checks.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
