"""The statistics dashboard at 1,000,000 victims (PostgreSQL) or 100,000 (SQLite) against the bare single GROUP BY
query, in one process and one run.

    .venv/bin/python bench/dashboard.py --db postgres [--victims 1000000] [--name perisai_bench_x]
        [--var-dir DIR] [--repeat 5] [--warmup 1] [--keep|--reuse]
    .venv/bin/python bench/dashboard.py --db sqlite [--victims 100000] [--var-dir DIR] [--keep|--reuse]

One run: a throwaway database (PostgreSQL: postgres@127.0.0.1, dropped at the end unless --keep; SQLite: a file
in --var-dir), migrate, bench/generate_stats.py (victims with their cases, tasks, perpetrators, services and
reports, written in bulk), the stored tallies built from them (perisai.stats.tallies.rebuild(), as
`manage.py stats_rebuild`; timed and printed), ANALYZE, then for one year (--year, default last year) and for
all time (2019-01-01 to today), in rotating order:

  page      THE ACCEPTANCE MEASURE. The whole dashboard: GET /staf/dasbor/?jenis=tahun&tahun=Y through Django's
            test Client, signed in (force_login) as the bench supervisor: middleware, session, policy, the
            period form, perisai.stats.dashboard.dashboard() and the template. All time is not a choice of the
            period form (a range is at most three years), so for it PeriodForm.period() is patched to return
            2019-01-01..today; everything else is the view's own code.
  context   perisai.stats.dashboard.dashboard(period): the context the view renders (all figures, charts,
            deadline compliance, referrals), without middleware and template.
  counting  a fresh count without the stored tallies, as the dashboard counted before them: counting.facts_for()
            of the period and of the year before, every breakdown the dashboard shows (incl. kecamatan) and the
            monthly trend. (The SIMFONI recap and the exports still count this way.)
  bare      one hand-written SQL statement: child victims (under 18 at the incident, or age unknown) by
            violence type for the period, one GROUP BY over victims joined to cases on the opened_at index.

Each figure is the median of --repeat runs after --warmup unmeasured runs. Before timing, the bare counts are
checked against the dashboard's "Jenis kekerasan" rows (stored tallies) and against a fresh count.
With --reuse, marks left pending in the database are folded in first (timed), as the first reader would.
Ratios are against bare of the same period.
Targets (issue #7): PostgreSQL 1,000,000 victims, one year: page < 300 ms and page/bare <= 3;
SQLite 100,000 victims, one year: page < 1 s. See bench/README.md and docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.case_list import PG_DEFAULT, create_database, drop_database, make_client, set_jit, stage  # noqa: E402
from bench.runinfo import source_state  # noqa: E402

DB_NAME = "perisai_bench_stats"
VAR_DIR = Path("/tmp/bench-stats-var")  # noqa: S108 - keys for a throwaway DB
VARIANTS = ("page", "context", "counting", "bare")
TARGET_MS = 300
TARGET_RATIO = 3.0
SQLITE_TARGET_MS = 1000

BARE_PG = """
SELECT t.code, count(*)
FROM cases_victim v
JOIN cases_case c ON c.id = v.case_id
CROSS JOIN LATERAL jsonb_array_elements_text(v.violence_types) AS t(code)
WHERE c.opened_at >= %s AND c.opened_at < %s
  AND coalesce(CASE WHEN v.birth_date IS NOT NULL AND c.incident_date IS NOT NULL
                    THEN extract(year FROM age(c.incident_date, v.birth_date))::int END, v.estimated_age, 0) < 18
GROUP BY t.code
"""
BARE_SQLITE = """
SELECT t.value, count(*)
FROM cases_victim v
JOIN cases_case c ON c.id = v.case_id
CROSS JOIN json_each(v.violence_types) AS t
WHERE c.opened_at >= %s AND c.opened_at < %s
  AND coalesce(CASE WHEN v.birth_date IS NOT NULL AND c.incident_date IS NOT NULL
                    THEN CAST(strftime('%%Y', c.incident_date) AS INTEGER)
                         - CAST(strftime('%%Y', v.birth_date) AS INTEGER)
                         - (strftime('%%m-%%d', c.incident_date) < strftime('%%m-%%d', v.birth_date)) END,
               v.estimated_age, 0) < 18
GROUP BY t.value
"""


def periods(year: int):
    from django.utils import timezone

    from perisai.stats.periods import Period

    return {f"year {year}": Period.year(year), "all time": Period(dt.date(2019, 1, 1), timezone.localdate())}


def bare(period) -> dict[str, int]:
    from django.db import connection

    from perisai.stats.counting import _midnight

    start, end = _midnight(period.start), _midnight(period.end + dt.timedelta(days=1))
    sql = BARE_PG if connection.vendor == "postgresql" else BARE_SQLITE
    params = [connection.ops.adapt_datetimefield_value(v) for v in (start, end)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def counting_part(period) -> None:
    from perisai.stats import counting
    from perisai.stats.dashboard import DASHBOARD_DIMENSIONS

    facts = counting.facts_for(period)
    try:  # as the dashboard reads the year before: victims only
        earlier = counting.facts_for(period.years_earlier(), detailed=False)
    except TypeError:  # the code before that: everything
        earlier = counting.facts_for(period.years_earlier())
    counting.monthly_trend(facts, earlier)
    for key in [*DASHBOARD_DIMENSIONS, "kecamatan"]:
        counting.breakdown(facts, key)


def page(client, period, label: str) -> None:
    from perisai.stats import forms

    url = f"/staf/dasbor/?jenis=tahun&tahun={period.start.year}"
    if label == "all time":
        with mock.patch.object(forms.PeriodForm, "period", lambda self: period):
            response = client.get(url)
    else:
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"the dashboard answered {response.status_code}")


def check(period) -> None:
    from perisai.stats import counting

    got = bare(period)
    for name, figures in [("fresh count", counting.facts_for(period)), ("dashboard", tallies_of(period))]:
        expected = {row.code: row.count for row in figures.breakdown("jenis").rows if row.count}
        if expected != got:
            raise RuntimeError(f"bare query and {name} disagree: {got} != {expected}")


def tallies_of(period):
    try:
        from perisai.stats import tallies
    except ImportError:  # code before the stored tallies: the dashboard counted afresh
        from perisai.stats import counting

        return counting.facts_for(period)
    return tallies.read(period)


def build_tallies(*, rebuild: bool) -> dict:
    """The stored tallies: built from the bulk-written data, or (reused database) the pending marks folded."""
    try:
        from perisai.stats import tallies
    except ImportError:  # code before the stored tallies
        return {}
    started = time.monotonic()
    with stage("stats_rebuild" if rebuild else "fold pending marks"):
        cases = tallies.rebuild() if rebuild else tallies.recount_pending()
    return {"rebuild" if rebuild else "folded": cases, "seconds": round(time.monotonic() - started, 1)}


def measure(client, repeat: int, warmup: int, year: int, only: list[str]) -> dict[str, dict[str, list[float]]]:
    from perisai.stats.dashboard import dashboard

    results = {}
    for label, period in periods(year).items():
        if label.split()[0] not in only:
            continue
        try:
            check(period)
        except Exception as error:  # recorded as the result (e.g. SQLite parameter limit)
            print(f"  {label}: FAILED: {type(error).__name__}: {error}"[:300], file=sys.stderr)
            results[label] = {"error": f"{type(error).__name__}: {error}"[:300]}
            continue
        runs = {
            "page": lambda p=period, lab=label: page(client, p, lab),
            "context": lambda p=period: dashboard(p, kecamatan=None, grouped=False),
            "counting": lambda p=period: counting_part(p),
            "bare": lambda p=period: bare(p),
        }
        times: dict[str, list[float]] = {v: [] for v in VARIANTS}
        for _ in range(warmup):
            for run in runs.values():
                run()
        for i in range(repeat):
            order = VARIANTS[i % len(VARIANTS) :] + VARIANTS[: i % len(VARIANTS)]
            for variant in order:
                started = time.perf_counter()
                runs[variant]()
                times[variant].append((time.perf_counter() - started) * 1000)
        results[label] = times
        print(
            f"  {label}: " + ", ".join(f"{v} {statistics.median(t):.0f} ms" for v, t in times.items()), file=sys.stderr
        )
    return results


def table(results, db: str) -> str:
    lines = [
        "| period | page ms | context ms | counting ms | bare ms | page/bare | context/bare | counting/bare |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, times in results.items():
        if "error" in times:
            lines.append(f"| {label} | {times['error']} | | | | | | |")
            continue
        m = {v: statistics.median(t) for v, t in times.items()}
        lines.append(
            f"| {label} | {m['page']:.0f} | {m['context']:.0f} | {m['counting']:.0f} | {m['bare']:.1f} | "
            f"{m['page'] / m['bare']:.1f} | {m['context'] / m['bare']:.1f} | {m['counting'] / m['bare']:.1f} |"
        )
    return "\n".join(lines)


def verdicts(results, db: str) -> list[str]:
    label = next(iter(results))
    if "error" in results[label]:
        return [f"{label}: NOT MET (failed)"]
    m = {v: statistics.median(t) for v, t in results[label].items()}
    if db == "postgres":
        return [
            f"{label} page {m['page']:.0f} ms: {'met' if m['page'] < TARGET_MS else 'NOT MET'} (< {TARGET_MS} ms)",
            f"{label} page/bare {m['page'] / m['bare']:.1f}: "
            f"{'met' if m['page'] / m['bare'] <= TARGET_RATIO else 'NOT MET'} (<= {TARGET_RATIO:g})",
        ]
    return [f"{label} page {m['page']:.0f} ms: {'met' if m['page'] < SQLITE_TARGET_MS else 'NOT MET'} (< 1 s)"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["postgres", "sqlite"], required=True)
    parser.add_argument("--victims", type=int, help="victims to generate [1000000 on postgres, 100000 on sqlite]")
    parser.add_argument("--year", type=int, help="the year measured [last year]")
    parser.add_argument("--repeat", type=int, default=5, help="measured runs per variant and period [5]")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured runs per variant first [1]")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--periods", nargs="+", choices=["year", "all"], default=["year", "all"], help="periods to measure [both]"
    )
    parser.add_argument("--pg", default=PG_DEFAULT, help=f"PostgreSQL server, without database [{PG_DEFAULT}]")
    parser.add_argument("--name", default=DB_NAME, help=f"throwaway PostgreSQL database name [{DB_NAME}]")
    parser.add_argument(
        "--var-dir", type=Path, default=VAR_DIR, help=f"PERISAI_VAR_DIR (keys, SQLite file) [{VAR_DIR}]"
    )
    parser.add_argument("--reuse", action="store_true", help="measure the existing database (kept)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    args = parser.parse_args(argv)
    victims = args.victims or (1_000_000 if args.db == "postgres" else 100_000)
    if not (1 <= args.repeat <= 100 and 0 <= args.warmup <= 20 and 1 <= victims <= 3_000_000):
        parser.error("need 1..100 repeats, 0..20 warm-up runs, 1..3,000,000 victims")
    if not re.match(r"^postgres(ql)?://[^/@]*@(127\.0\.0\.1|localhost)(:\d+)?/?$", args.pg):
        parser.error("--pg must be postgres://user@127.0.0.1[:port]: this benchmark never talks to another host")
    if not re.match(r"^perisai_bench_\w+$", args.name):
        parser.error("--name must start with perisai_bench_ (the script drops it)")
    var_dir = args.var_dir
    var_dir.mkdir(parents=True, exist_ok=True)
    pg_base = args.pg.rstrip("/")
    sqlite_file = var_dir / "bench-stats.sqlite3"
    database_url = f"{pg_base}/{args.name}" if args.db == "postgres" else f"sqlite:///{sqlite_file}"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PERISAI_ENV": "development",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            "PERISAI_VAR_DIR": str(var_dir),
            "PERISAI_MEDIA_ROOT": str(var_dir / "media"),
            "DATABASE_URL": database_url,
        }
    )
    started_at = dt.datetime.now().astimezone()
    load_before = os.getloadavg()
    created = False
    facts: dict = {}
    try:
        if not args.reuse:
            with stage("create database"):
                if args.db == "postgres":
                    create_database(pg_base, args.name)
                else:
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
                created = True
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        if not args.reuse:
            with stage("migrate"):
                call_command("migrate", interactive=False, verbosity=0)
                call_command("createcachetable", verbosity=0)
            from bench.generate_stats import generate

            with stage(f"generate {victims} victims"):
                facts["generated"] = generate(victims, seed=args.seed)
            if not all(facts["generated"]["checks"].values()):
                print(f"generator checks failed: {facts['generated']['checks']}", file=sys.stderr)
                return 1
            facts["tallies"] = build_tallies(rebuild=True)
            with stage("ANALYZE"), connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE" if args.db == "postgres" else "ANALYZE")
        else:
            facts["tallies"] = build_tallies(rebuild=False)
        if args.db == "postgres":
            set_jit(pg_base, args.name, "off")  # as bench/case_list.py: see docs/benchmarks.md, "Why JIT is off"
            from django.db import connections

            connections.close_all()
        from bench.case_list import actors
        from perisai.cases.models import Case, Perpetrator, Service, Victim

        facts["rows"] = {
            "cases": Case.objects.count(),
            "victims": Victim.objects.count(),
            "perpetrators": Perpetrator.objects.count(),
            "services": Service.objects.count(),
        }
        client = make_client(actors()["supervisor"])
        year = args.year or (dt.date.today().year - 1)
        with stage("measure"):
            results = measure(client, args.repeat, args.warmup, year, args.periods)
        load_after = os.getloadavg()
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - Django may not be set up yet
            pass
        if created and not args.keep and args.db == "postgres":
            drop_database(pg_base, args.name)
        if created and not args.keep and args.db == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)

    print()
    print(
        f"Perisai dashboard benchmark ({args.db}), {started_at:%Y-%m-%d %H:%M %Z}, {platform.node()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {source_state()}"
    )
    print(f"rows: {facts['rows']}")
    if "generated" in facts:
        print(f"generated in {facts['generated']['seconds']} s")
    if facts.get("tallies"):
        print(f"stored tallies: {facts['tallies']}")
    print(
        f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f}; "
        f"{args.repeat} measured runs (+{args.warmup} warm-up) per variant, medians"
    )
    print()
    print(table(results, args.db))
    print()
    for line in verdicts(results, args.db):
        print(line)
    if args.keep or args.reuse:
        print(f"kept database {args.name if args.db == 'postgres' else sqlite_file}")
    if args.json:
        payload = {
            "started_at": started_at.isoformat(),
            "source": source_state(),
            "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
            "load_before": load_before,
            "load_after": load_after,
            "facts": facts,
            "results": results,
        }
        args.json.write_text(json.dumps(payload, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
