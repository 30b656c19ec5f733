"""CPU, wall clock and queries per staff page with many open reports, against a bare signed-in view, in one run.

    .venv/bin/python bench/staff_pages.py --db postgres|sqlite [--reports 6000] [--cases 1000] [--requests 30]

One run: a fresh database (a throwaway PostgreSQL database, dropped at the end, or a temporary SQLite file),
migrate, N synthetic reports through the real service (bench/generate_reports.py: all of them still waiting in the
inbox, as during bench/load.py) and M cases (bench/generate_cases.py), one staff member (supervisor and intake
officer, a TOTP second factor). Each page is asked for through Django's test client, signed in: every middleware
(the session and its sliding expiry written on each request, as in production), the policy, the queries, the
template. The baseline is a view that answers "ok" to the same signed-in request: the fixed cost of a staff page.
Prints ms of CPU in this process, ms of wall clock (which includes the database's own work), queries, and the
ratio of CPU to the bare view. DEBUG off; the fragment cache as production has it.
"""

from __future__ import annotations

import argparse
import base64
import os
import secrets
import shutil
import sys
import tempfile
import time
import types
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import report_submit  # noqa: E402

PAGES = ["/staf/laporan/", "/staf/kasus/", "/staf/dasbor/", "/staf/"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--reports", type=int, default=6000, help="synthetic reports, all waiting in the inbox")
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=30, help="measured requests per page (after 5 unmeasured)")
    parser.add_argument("--pg", default=report_submit.PG_DEFAULT)
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="perisai-staff-pages-"))
    database_name = f"perisai_bench_{uuid.uuid4().hex[:8]}"
    if args.db == "postgres":
        report_submit.create_pg_database(args.pg, database_name)
        database_url = f"{args.pg}/{database_name}"
    else:
        database_url = f"sqlite:///{var_dir / 'bench.sqlite3'}"
    os.environ.update(report_submit.bench_env(var_dir=var_dir, database_url=database_url, conn_max_age=60))
    try:
        return measure(args)
    finally:
        from django.db import connections

        connections.close_all()
        if args.db == "postgres":
            report_submit.drop_pg_database(args.pg, database_name)
        shutil.rmtree(var_dir, ignore_errors=True)


def measure(args) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.http import HttpResponse
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from django.urls import include, path

    from bench import generate_cases, generate_reports
    from bench.runinfo import source_state
    from perisai.accounts import selectors, services
    from perisai.accounts.choices import AgencyKind, Role

    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    generate_reports.generate(args.reports, progress=False)
    generate_cases.generate(args.cases, progress=False)
    office = selectors.home_office() or services.agency_save(
        actor=None, name="DP3AP2KB Beban", kind=AgencyKind.HOME_OFFICE
    )
    user = services.user_create(
        actor=None,
        email="staf@beban.test",
        full_name="Staf Beban",
        agency=office,
        roles=[Role.SUPERVISOR, Role.INTAKE_OFFICER],
        password=uuid.uuid4().hex,
    )
    services.user_enrol_second_factor(
        actor=None, user=user, totp_secret=base64.b32encode(secrets.token_bytes(20)).decode()
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would have done by now on a live server
    prepared = time.monotonic() - started

    urls = types.ModuleType("bench_staff_pages_urls")
    urls.urlpatterns = [path("staf/bench-bare/", lambda request: HttpResponse("ok")), path("", include("config.urls"))]
    sys.modules[urls.__name__] = urls
    caches = {
        **settings.CACHES,
        "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bench"},
    }
    with override_settings(ROOT_URLCONF=urls.__name__, CACHES=caches, DEBUG=False, ALLOWED_HOSTS=["localhost"]):
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)

        def cost(page: str) -> tuple[float, float, int]:
            for _ in range(5):
                if (status := client.get(page).status_code) != 200:
                    raise SystemExit(f"{page}: HTTP {status}")
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                client.get(page)
            queries = len(captured.captured_queries)  # now: the next request empties the log it reads
            cpu, wall = time.process_time(), time.perf_counter()
            for _ in range(args.requests):
                client.get(page)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            return 1000 * cpu / args.requests, 1000 * wall / args.requests, queries

        bare = cost("/staf/bench-bare/")
        print(f"source: {source_state()}")
        print(
            f"{connection.vendor}, {args.reports} open reports, {args.cases} cases (prepared in {prepared:.0f} s), "
            f"{args.requests} requests a page, one process, signed in as supervisor and intake officer"
        )
        print(f"{'page':18} {'ms CPU':>8} {'ms wall':>8} {'queries':>8} {'CPU x bare':>11}")
        print(f"{'bare view':18} {bare[0]:8.1f} {bare[1]:8.1f} {bare[2]:8d} {1:11.1f}")
        for page in PAGES:
            cpu, wall, queries = cost(page)
            print(f"{page:18} {cpu:8.1f} {wall:8.1f} {queries:8d} {cpu / bare[0]:11.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
