"""Fill a database for the statistics benchmark: N victims (default 1,000,000) with their cases, deadline tasks,
perpetrators, services and the report each case came from.

    DATABASE_URL=... PERISAI_VAR_DIR=... .venv/bin/python bench/generate_stats.py [--victims 1000000] [--seed 1]

Cases, victims and tasks come from bench/generate_cases.py (bulk_create: encrypted fields encrypted, blind
indexes computed, 1.5 victims per case over 2019..now and the 8 kecamatan). What the case list did not need and
the statistics count is added here with one INSERT ... SELECT per table, in the database, from the generated
rows (Python would take longer than the cases themselves):

- perpetrators: one per case, a second for every fifth case; relationship, sex and legal stage spread by id;
- services: for 70 % of victims one service, for a third of those a second one of another type;
- reports: one per case (the channel the dashboard counts), received when the case was opened;
- referrals: for every second case one, to one of five partner agencies, sent a day after the case opened and
  answered 0-95 hours later (the deadline is 72): 10 % still waiting, 5 % declined, 5 % revoked, 30 % accepted,
  50 % completed (the dashboard's referral figures count them live).

Every other column of those rows is copied from one template object built here, whose encrypted fields hold one
short placeholder ciphertext (encrypted by the field itself, "[DATA UJI SINTETIS]"); unique columns are
derived from the id. No identities: the same ciphertext in every row, and it says it is synthetic.
Refuses to run with PERISAI_ENV=production.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import synthetic  # noqa: E402

RELATIONSHIPS = [
    "orang_tua",
    "keluarga",
    "tetangga",
    "pacar_teman",
    "guru",
    "orang_tua",
    "keluarga",
    "lainnya",
    "na",
    "pacar_teman",
]
CHANNELS = ["web", "web", "web", "walk_in", "phone", "whatsapp", "sapa129", "school", "outreach", "letter"]
SERVICES = ["pengaduan", "kesehatan", "psikologis", "bantuan_hukum", "penegakan_hukum", "rehabilitasi_sosial"]


def _pick(values: list[str], expression: str) -> str:
    """SQL choosing values[expression % len(values)] (portable: CASE, no arrays; `%%` as the SQL has parameters)."""
    whens = " ".join(f"WHEN {i} THEN '{value}'" for i, value in enumerate(values))
    return f"(CASE ({expression}) %% {len(values)} {whens} END)"


def _uuid() -> str:
    from django.db import connection

    return "gen_random_uuid()" if connection.vendor == "postgresql" else "lower(hex(randomblob(16)))"


def clone_insert(template, source: str, varied: dict[str, str]) -> int:
    """INSERT INTO template's table SELECT ... FROM `source`: `varied` columns as SQL expressions over the
    source, every other column (except the id) the template's value as Django would store it."""
    from django.db import connection

    model = type(template)
    columns, expressions, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.column in varied:
            expressions.append(varied[field.column])
        else:
            value = field.get_db_prep_save(field.pre_save(template, add=True), connection)
            expressions.append("%s")
            params.append(value)
    missing = set(varied) - {f.column for f in model._meta.concrete_fields}
    if missing:
        raise ValueError(f"unknown columns {missing}")
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(expressions)} FROM {source}"  # noqa: S608 - fixed text
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def add_stats_rows() -> dict[str, int]:
    from django.db import transaction
    from django.utils import timezone

    from bench.generate_cases import SUPERVISOR_EMAIL
    from perisai.accounts.models import User
    from perisai.cases import legal_stages
    from perisai.cases.models import Perpetrator, Service
    from perisai.reports.models import Report

    supervisor = User.objects.get(email=SUPERVISOR_EMAIL)
    office = supervisor.agency
    stages = [code for code, _label in legal_stages.stage_choices()] or ["penyidikan"]
    placeholder = f"{synthetic.MARK} placeholder"
    now = timezone.now()
    counts = {}
    with transaction.atomic():
        counts["perpetrators"] = clone_insert(
            Perpetrator(identity=placeholder, relationship="na"),
            "cases_case c",
            {
                "public_id": _uuid(),
                "case_id": "c.id",
                "sex": _pick(["l", "l", "l", "l", "p", ""], "c.id"),
                "relationship": _pick(RELATIONSHIPS, "c.id * 7"),
                "legal_stage": _pick(["", "", *stages], "c.id * 3"),
            },
        )
        counts["perpetrators"] += clone_insert(
            Perpetrator(identity=placeholder, relationship="na"),
            "cases_case c WHERE c.id %% 5 = 0",
            {
                "public_id": _uuid(),
                "case_id": "c.id",
                "sex": _pick(["l", "p", ""], "c.id"),
                "relationship": _pick(RELATIONSHIPS, "c.id * 11 + 3"),
                "legal_stage": _pick(["", *stages], "c.id"),
            },
        )
        service = Service(service_type="pengaduan", provider=office, recorded_by=supervisor, outcome=placeholder)
        counts["services"] = clone_insert(
            service,
            "cases_victim v WHERE v.id %% 10 < 7",
            {"public_id": _uuid(), "victim_id": "v.id", "service_type": _pick(SERVICES, "v.id * 7")},
        )
        counts["services"] += clone_insert(
            service,
            "cases_victim v WHERE v.id %% 10 < 7 AND v.id %% 3 = 0",
            {"public_id": _uuid(), "victim_id": "v.id", "service_type": _pick(SERVICES, "v.id * 7 + 1")},
        )
        report = Report(
            tracking_code="X",
            submission_key="X",
            narrative=placeholder,
            first_contact_due_at=now,
            verification_due_at=now,
            status="converted",
        )
        counts["reports"] = clone_insert(
            report,
            "cases_case c",
            {
                "public_id": _uuid(),
                "tracking_code": "'B' || c.id",
                "submission_key": "'bench-' || c.id",
                "channel": _pick(CHANNELS, "c.id * 13"),
                "received_at": "c.opened_at",
                "first_contact_due_at": "c.opened_at",
                "verification_due_at": "c.opened_at",
                "case_id": "c.id",
                "kecamatan_id": "c.kecamatan_id",
                "kelurahan_id": "c.kelurahan_id",
                "incident_date": "c.incident_date",
            },
        )
    return counts


def generate(victims: int, *, seed: int = 1) -> dict:
    from bench.generate_cases import generate as generate_cases

    started = time.monotonic()
    cases = generate_cases(round(victims / 1.5), seed=seed)
    rows = add_stats_rows()
    rows.update(add_referral_rows())
    return {
        "cases": cases.cases,
        "victims": cases.victims,
        "tasks": cases.tasks,
        **rows,
        "checks": cases.checks,
        "seconds": round(time.monotonic() - started),
    }


PARTNERS = [
    ("Unit PPA Polres Cilegon (uji)", "police"),
    ("Dinas Sosial Kota Cilegon (uji)", "social"),
    ("Satpol PP Kota Cilegon (uji)", "satpol_pp"),
    ("RSUD Kota Cilegon (uji)", "health"),
    ("LBH Cilegon (uji)", "legal_aid"),
]


def _hours_after(moment: str, hours: str) -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        return f"({moment} + ({hours}) * interval '1 hour')"
    return f"strftime('%%Y-%%m-%%d %%H:%%M:%%f', {moment}, '+' || ({hours}) || ' hours')"


def add_referral_rows() -> dict[str, int]:
    """One referral for every second case (see the module's docstring). Returns {"referrals": n}."""
    from django.db import transaction
    from django.utils import timezone

    from bench.generate_cases import SUPERVISOR_EMAIL
    from perisai.accounts.models import Agency, User
    from perisai.referrals.models import Referral

    supervisor = User.objects.get(email=SUPERVISOR_EMAIL)
    agencies = [Agency.objects.get_or_create(name=name, defaults={"kind": kind})[0] for name, kind in PARTNERS]
    placeholder = f"{synthetic.MARK} placeholder"
    whens = " ".join(f"WHEN {i} THEN {agency.pk}" for i, agency in enumerate(agencies))
    status = _pick(["sent", "sent", "declined", "revoked"] + ["accepted"] * 6 + ["completed"] * 10, "c.id / 2")
    sent_at = _hours_after("c.opened_at", "24")
    answered = "(c.id / 2) %% 20 NOT IN (0, 1, 3)"  # neither waiting nor revoked
    answered_at = _hours_after(sent_at, "(c.id * 7) %% 96")
    template = Referral(
        case_id=0,
        agency=agencies[0],
        service_type="pengaduan",
        reason=placeholder,
        due_at=timezone.now(),
        snapshot=placeholder,
        created_by=supervisor,
    )
    with transaction.atomic():
        count = clone_insert(
            template,
            "cases_case c WHERE c.id %% 2 = 0",
            {
                "public_id": _uuid(),
                "batch": _uuid(),
                "case_id": "c.id",
                "agency_id": f"(CASE (c.id / 40) %% {len(agencies)} {whens} END)",  # every agency, every status
                "status": status,
                "created_at": sent_at,
                "due_at": _hours_after(sent_at, "72"),
                "responded_at": f"(CASE WHEN {answered} THEN {answered_at} END)",
                "completed_at": f"(CASE WHEN (c.id / 2) %% 20 >= 10 THEN {_hours_after(answered_at, '240')} END)",
                "revoked_at": f"(CASE WHEN (c.id / 2) %% 20 = 3 THEN {_hours_after(sent_at, '2')} END)",
            },
        )
    return {"referrals": count}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--victims", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--related-only", action="store_true", help="only add perpetrators, services and reports to existing cases"
    )
    parser.add_argument("--referrals-only", action="store_true", help="only add referrals to existing cases")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    if settings.PRODUCTION:
        print("Refusing to add synthetic cases to a production database.", file=sys.stderr)
        return 2
    if args.referrals_only:
        print(add_referral_rows())
    else:
        print(add_stats_rows() if args.related_only else generate(args.victims, seed=args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
