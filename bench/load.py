"""Load through the production stack: locust -> nginx (TLS) -> gunicorn -> PostgreSQL, with the worker and the
scheduler running, all built from deploy/ as shipped (tests/deploy/stack.py). Issue 16, item 9.

    .venv/bin/python bench/load.py [--seconds 300] [--reporters 200] [--staff 20] [--worker-class gthread|sync]
                                   [--workers N] [--threads N] [--steady]

Prints requests, failures, p50/p95 per page and overall, and receipts acknowledged vs reports stored. The database
starts with 3,000 reports and 1,000 cases (bench/generate_*.py), so staff pages have something to list. The form's
per-address limits are raised for the run (every simulated reporter comes from 127.0.0.1; in life they come from
many addresses). A throwaway database perisai_load_<pid> is dropped at the end. Needs nginx and locust
(`pip install -e '.[load]'`)."""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.runinfo import source_state  # noqa: E402
from tests.deploy.stack import HOST, build_stack  # noqa: E402

PG = "postgres://postgres@127.0.0.1:5432"
PASSWORD = "beban-uji-perisai-2026"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"
STAFF_SETUP = """
from perisai.accounts import selectors, services
from perisai.accounts.choices import AgencyKind, Role
office = selectors.home_office() or services.agency_save(actor=None, name="DP3AP2KB Beban", kind=AgencyKind.HOME_OFFICE)
for n in range({staff}):
    user = services.user_create(actor=None, email=f"staf{{n}}@beban.test", full_name=f"Staf {{n}}", agency=office,
                                roles=[Role.SUPERVISOR, Role.INTAKE_OFFICER], password="{password}")
    services.user_enrol_second_factor(actor=None, user=user, totp_secret="{secret}")
"""


class Settings:
    FIELD_ENCRYPTION_KEYS: list[str]
    BLIND_INDEX_KEY: str


def keys() -> Settings:
    import base64
    import secrets

    from cryptography.fernet import Fernet

    found = Settings()
    found.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    found.BLIND_INDEX_KEY = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    return found


def psql(sql: str) -> None:
    subprocess.run(["psql", f"{PG}/postgres", "-qc", sql], check=True)


def summary(stats_csv: Path) -> list[dict]:
    with stats_csv.open() as handle:
        return list(csv.DictReader(handle))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--reporters", type=int, default=200)
    parser.add_argument("--staff", type=int, default=20)
    parser.add_argument("--worker-class", default="gthread")
    parser.add_argument("--workers", type=int, default=0, help="0: the shipped default (CPUs + 1)")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--steady",
        action="store_true",
        help="count from when every simulated person has started (locust --reset-stats): without the first seconds, "
        "when 220 people arrive at once and 20 staff sign in together (password hashing is slow on purpose)",
    )
    args = parser.parse_args()

    directory = Path(tempfile.mkdtemp(prefix="perisai-load-"))
    name = f"perisai_load_{os.getpid()}"
    psql(f'DROP DATABASE IF EXISTS "{name}"')
    psql(f'CREATE DATABASE "{name}"')
    stack = build_stack(
        directory,
        f"{PG}/{name}",
        keys(),
        PERISAI_REPORTS_SOFT_LIMIT="10000000",
        PERISAI_REPORTS_HARD_LIMIT="10000000",
        PERISAI_WEB_WORKER_CLASS=args.worker_class,
        PERISAI_WEB_THREADS=str(args.threads),
        PERISAI_LOGIN_ADDRESS_LIMIT="100000",
        # No mail server here: production's default (smtp://localhost:25) would fail every e-mail and have the worker
        # retry them. Django's dummy backend "sends" them at once; the worker still does the rest of the work.
        EMAIL_URL="dummymail://",
    )
    environment = stack.environment
    if args.workers:
        environment["PERISAI_WEB_WORKERS"] = str(args.workers)
    else:
        environment.pop("PERISAI_WEB_WORKERS", None)
    try:
        prefill = "from bench import generate_cases, generate_reports; generate_reports.generate(3000, " \
                  "progress=False); generate_cases.generate(1000, progress=False)"  # fmt: skip
        steps = [["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"], ["shell", "-c", prefill],
                 ["stats_rebuild"]]  # fmt: skip
        for step in steps:
            done = stack.manage(*step, timeout=900)
            if done.returncode != 0:
                raise SystemExit(f"{step}: {done.stderr[-2000:]}")
        setup = STAFF_SETUP.format(staff=args.staff, password=PASSWORD, secret=TOTP_SECRET)
        done = stack.manage("shell", "-c", setup)
        if done.returncode != 0:
            raise SystemExit(done.stderr[-2000:])
        stack.start_all()
        stack.wait_until_healthy()
        # Warm every gunicorn process (templates compiled, connections open): the run measures the steady state,
        # not the first request of each process after a restart.
        for _ in range(40):
            for path in ("/lapor/", "/statistik/", "/lapor/cek/", "/"):
                stack.request("GET", path)
        receipts = directory / "receipts.txt"
        locust_env = {
            **os.environ,
            "PERISAI_LOAD_HOST": HOST,
            "PERISAI_LOAD_RECEIPTS": str(receipts),
            "PERISAI_LOAD_STAFF": ",".join(f"staf{n}@beban.test" for n in range(args.staff)),
            "PERISAI_LOAD_PASSWORD": PASSWORD,
            "PERISAI_LOAD_TOTP": TOTP_SECRET,
        }
        users = args.reporters + args.staff
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(ROOT / "bench/locustfile.py"), "--headless",
             "--host", f"https://127.0.0.1:{stack.https_port}", "--users", str(users), "--spawn-rate", "20",
             "--run-time", f"{args.seconds}s", "--csv", str(directory / "load"), "--only-summary",
             "--config-users", f'{{"user_class_name": "Reporter", "fixed_count": {args.reporters}}}',
             "--config-users", f'{{"user_class_name": "Staff", "fixed_count": {args.staff}}}',
             "--stop-timeout", "30", "--loglevel", "WARNING", *(["--reset-stats"] if args.steady else [])],
            cwd=ROOT, env=locust_env, check=False,
        )  # fmt: skip
        elapsed = time.monotonic() - started
        acknowledged = set(receipts.read_text().split()) if receipts.exists() else set()
        stored = {row[0] for row in stack.query("SELECT tracking_code FROM reports_report WHERE channel = 'web'")}
        rows = summary(directory / "load_stats.csv")
        print(f"\nsource: {source_state()}")
        workers = environment.get("PERISAI_WEB_WORKERS", "CPUs+1")
        print(f"worker class {args.worker_class}, workers {workers}, threads {args.threads}; "
              f"{args.reporters} reporters + {args.staff} staff for {elapsed:.0f} s"
              + ("; counted from when all had started (--steady)" if args.steady else ""))  # fmt: skip
        print(f"{'page':32} {'requests':>9} {'failures':>9} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
        for row in rows:
            print(f"{row['Name'][:32]:32} {row['Request Count']:>9} {row['Failure Count']:>9} "
                  f"{row['50%']:>7} {row['95%']:>7} {float(row['Max Response Time']):>7.0f}")  # fmt: skip
        missing = acknowledged - stored
        print(f"receipts acknowledged {len(acknowledged)}, stored {len(stored & acknowledged)}, "
              f"acknowledged but missing {len(missing)}")  # fmt: skip
        failures = sum(int(row["Failure Count"]) for row in rows if row["Name"] == "Aggregated")
        return 1 if failures or missing else 0
    finally:
        stack.stop_all()
        psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
