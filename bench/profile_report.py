"""Where the time of one POST /lapor/ goes: section timers, query counts and an optional cProfile.

    .venv/bin/python bench/profile_report.py --db sqlite|postgres [--requests 300] [--prefill N] [--cprofile 30]
        [--queries]

Runs in one process through Django's test client (no gunicorn, no concurrency), on a fresh database like
bench/report_submit.py. Sections are timed by wrapping the functions the view calls, at run time and in
this process only; application code is not changed. Times are inclusive (a section contains the ones
called inside it).
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import os
import pstats
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import report_submit, synthetic  # noqa: E402

TOTALS: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)
QUERIES: dict[str, int] = defaultdict(int)
_stack: list[str] = []


def timed(name: str, function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        from django.db import connection

        began, queries_before = time.perf_counter(), len(connection.queries_log)
        _stack.append(name)
        try:
            return function(*args, **kwargs)
        finally:
            _stack.pop()
            TOTALS[name] += time.perf_counter() - began
            CALLS[name] += 1
            QUERIES[name] += len(connection.queries_log) - queries_before

    return wrapper


def instrument() -> None:
    """Wrap the steps of report_form (perisai/reports/public_views.py) with timers."""
    from django.db.models import Model

    from perisai.audit import services as audit_services
    from perisai.core import crypto, ratelimit
    from perisai.reports import altcha_check, antiabuse, codes, forms, public_views, services
    from perisai.reports.models import Report

    public_views.render = timed("render receipt (template)", public_views.render)
    forms.ReportForm.__init__ = timed("ReportForm.__init__ (region choices)", forms.ReportForm.__init__)
    forms.ReportForm.full_clean = timed("ReportForm validation", forms.ReportForm.full_clean)
    antiabuse.count_submission = timed("antiabuse.count_submission (2 rate counters)", antiabuse.count_submission)
    antiabuse.review_reasons = timed("antiabuse.review_reasons", antiabuse.review_reasons)
    altcha_check.verified = timed("  altcha verify", altcha_check.verified)
    ratelimit.hit = timed("  ratelimit.hit", ratelimit.hit)
    if hasattr(ratelimit, "hit_many"):
        ratelimit.hit_many = timed("  ratelimit.hit_many", ratelimit.hit_many)
    services.report_submit = timed("services.report_submit", services.report_submit)
    # Steps inside report_submit; the service changes, so each is wrapped only if it is still there.
    optional = {
        "_same_answers_sent_recently": "  resend check (same answers, same device)",
        "_sent_before": "  lookup: same token, or same answers from the same device",
        "_create_once": "  _create_once (transaction: lookup, build, write, audit)",
        "_new_report": "  _new_report (build, validate)",
        "_store": "  _store (transaction: insert, audit)",
        "_unique_code": "  _unique_code",
    }
    for attribute, label in optional.items():
        if hasattr(services, attribute):
            setattr(services, attribute, timed(label, getattr(services, attribute)))
    services.audit_record = timed("  audit_record (chain head lock + insert)", audit_services.audit_record)
    Report.full_clean = timed("  Report.full_clean", Model.full_clean)
    Report.save = timed("  Report.save", Model.save)
    crypto.encrypt = timed("  crypto.encrypt (Fernet, per field)", crypto.encrypt)
    crypto.blind_index = timed("  crypto.blind_index (HMAC)", crypto.blind_index)
    codes.crypto = crypto


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--prefill", type=int, default=0)
    parser.add_argument("--cprofile", type=int, default=0, help="also print the top N functions by own time")
    parser.add_argument("--queries", action="store_true", help="also list the SQL of one submission")
    parser.add_argument("--query-times", action="store_true", help="also the wall clock of each statement")
    parser.add_argument("--sort", default="tottime", help="with --cprofile: tottime (own time) or cumulative")
    parser.add_argument("--only", nargs="*", default=[], help="with --cprofile: only functions matching (regex)")
    parser.add_argument("--callees", nargs="*", default=[], help="with --cprofile: what these functions call (regex)")
    parser.add_argument("--callers", nargs="*", default=[], help="with --cprofile: who calls these functions (regex)")
    parser.add_argument("--pg", default=report_submit.PG_DEFAULT)
    args = parser.parse_args(argv)
    if not 1 <= args.requests <= 100_000:
        parser.error("--requests must be 1..100000")

    var_dir = Path(tempfile.mkdtemp(prefix="perisai-profile-"))
    pg_name = f"perisai_profile_{os.getpid()}"
    database_url = (
        f"sqlite:///{var_dir / 'perisai.sqlite3'}" if args.db == "sqlite" else f"{args.pg.rstrip('/')}/{pg_name}"
    )
    os.environ.update(report_submit.bench_env(var_dir=var_dir, database_url=database_url, conn_max_age=None))
    try:
        if args.db == "postgres":
            report_submit.create_pg_database(args.pg.rstrip("/"), pg_name)
        report_submit.prepare_database(args.prefill, seed=1)
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if args.db == "postgres":
            report_submit.drop_pg_database(args.pg.rstrip("/"), pg_name)
        shutil.rmtree(var_dir, ignore_errors=True)
    return 0


def run(args) -> None:
    from django.db import connection
    from django.test import Client

    connection.force_debug_cursor = True  # count queries with DEBUG off
    rng, regions = synthetic._rng(7), synthetic.load_regions()
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_HOST="127.0.0.1", HTTP_USER_AGENT="perisai-bench/1")
    client.cookies["perisai_perangkat"] = "bench-device-profile"
    form_type = "application/x-www-form-urlencoded"

    def post_report(n):
        response = client.post("/lapor/", urlencode(synthetic.form_fields(rng, n, regions)), content_type=form_type)
        if response.status_code != 201:
            raise SystemExit(f"/lapor/ answered {response.status_code}")

    def post_bare(n):
        body = urlencode({"payload": synthetic.narrative(rng, n)})
        if client.post("/bench/bare-insert/", body, content_type=form_type).status_code != 201:
            raise SystemExit("bare insert failed")

    def post_plain(n):
        body = urlencode(synthetic.form_fields(rng, n, regions))
        if client.post("/bench/plain-form/", body, content_type=form_type).status_code != 201:
            raise SystemExit("plain form failed")

    for n in range(20):  # warm: imports, template loading, connection
        post_report(n)
        post_plain(n)
        post_bare(n)
    timings = {}
    for name, post in (("bare", post_bare), ("plain form", post_plain), ("report (uninstrumented)", post_report)):
        began, cpu_began = time.perf_counter(), time.process_time()
        for n in range(args.requests):
            post(n)
        timings[name] = (
            (time.perf_counter() - began) / args.requests * 1000,
            (time.process_time() - cpu_began) / args.requests * 1000,
        )

    instrument()
    for n in range(args.requests):
        TOTALS["whole request (instrumented)"] -= time.perf_counter()
        post_report(n)
        TOTALS["whole request (instrumented)"] += time.perf_counter()
        # Django empties the query log when a request starts, so what is there now is this request's.
        QUERIES["whole request (instrumented)"] += len(connection.queries_log)
        CALLS["whole request (instrumented)"] += 1
    print(f"\n{args.db}, {args.requests} requests each, one process, test client (no HTTP, no concurrency)")
    for name, (wall, cpu) in timings.items():
        print(f"  {name:<30} {wall:7.2f} ms/request wall clock, {cpu:7.2f} ms CPU in this process")
    print(f"\n{'section (inclusive)':<48} {'ms/request':>10} {'calls/req':>10} {'queries/req':>12}")
    order = sorted(TOTALS, key=lambda key: (not key.startswith("whole"), key.startswith("  ")))
    for name in order:
        print(
            f"{name:<48} {TOTALS[name] / args.requests * 1000:>10.2f} {CALLS[name] / args.requests:>10.1f} "
            f"{QUERIES[name] / args.requests:>12.1f}"
        )

    if args.query_times:
        spent: dict[str, list[float]] = defaultdict(list)

        def timed(execute, sql, params, many, context):  # Django's query log keeps whole milliseconds only
            began = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent[" ".join(sql.split()[:4])[:70]].append((time.perf_counter() - began) * 1000)

        with connection.execute_wrapper(timed):
            for n in range(args.requests):
                post_report(n)
        # BEGIN and COMMIT on PostgreSQL do not pass through the wrapper (psycopg sends them itself).
        print(f"\nwall clock per statement, from an execute wrapper ({args.requests} reports):")
        for statement, times in sorted(spent.items(), key=lambda item: -sum(item[1])):
            print(
                f"  {sum(times) / args.requests:6.3f} ms/report  {len(times) / args.requests:4.2f}/report  "
                f"{sorted(times)[len(times) // 2]:6.3f} ms median  {statement}"
            )

    if args.queries:
        post_report(0)
        print(f"\nSQL of one submission ({len(connection.queries_log)} statements):")
        for number, query in enumerate(connection.queries_log, 1):
            print(f"  {number:2d} {' '.join(query['sql'].split())[:150]}")

    if args.cprofile:
        profiler = cProfile.Profile()
        profiler.enable()
        for n in range(min(args.requests, 200)):
            post_report(n)
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats(args.sort).print_stats(*args.only, args.cprofile)
        if args.callers:
            for pattern in args.callers:
                stats.print_callers(pattern)
        for pattern in args.callees:
            stats.print_callees(pattern)
        print(out.getvalue())


if __name__ == "__main__":
    raise SystemExit(main())
