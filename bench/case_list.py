"""The filtered case list at 100,000 cases against the equivalent hand-written SQL, in one process and one run.

    .venv/bin/python bench/case_list.py --db postgres [--cases 100000] [--repeat 7] [--name perisai_bench_x]
        [--var-dir DIR] [--keep|--reuse]

One run: a throwaway PostgreSQL database (postgres@127.0.0.1, dropped at the end unless --keep), migrate,
createcachetable, bench/generate_cases.py (N cases, 1.5 victims per case, their deadline tasks), VACUUM
ANALYZE, then for each scenario (a filter combination as a staff member would send it) and in rotating order:

  query     THE ACCEPTANCE MEASURE. The list query the view runs: the scoped, filtered queryset the view hands
            to selectors.case_list_page() (captured from the view itself), paged like the view does: the
            paginator's COUNT and the 25 rows of page 1 as model instances.
  sql       the two SQL statements `query` sends (COUNT, page), run raw with psycopg: query - sql is the ORM.
  bare      the same question written by hand: COUNT and page 1 (LIMIT 25) with EXISTS for the access scope
            and the filters, run raw with psycopg. Four hand-written forms of the page query are timed and the
            fastest one counts (see bare_statements()): `agg` groups all late tasks once (best for large
            result sets), `semi` groups only the late tasks of the matching cases, `corr` counts each row's
            late tasks in a correlated subquery (best for very selective filters), `hashed` does that only
            for the cases in a hashed set of cases with late tasks.
  view      the whole page, for reference only: GET /staf/kasus/?... through Django's test Client, signed in
            (force_login) with a TOTP second factor: middleware, session, policy, filters, the list query,
            the filter form's choices, the template. view - query is the fixed cost of a page.

Each figure is the median of --repeat runs after --warmup unmeasured runs. Before timing, every scenario is
checked: the view answers 200, and query and every bare form agree on the count and the 25 registration
numbers. The acceptance ratio is query/bare (target <= 2); view/bare is printed too. EXPLAIN (ANALYZE,
BUFFERS) of the list's and the bare statements go to VAR_DIR/explain/ (indexes used are summarised).
See bench/README.md and docs/benchmarks.md.
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
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from unittest import mock
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.runinfo import source_state  # noqa: E402

PG_DEFAULT = "postgres://postgres@127.0.0.1:5432"
DB_NAME = "perisai_bench_cases"
VAR_DIR = Path("/tmp/bench-cases-var")  # noqa: S108 - fixed by the brief; keys for a throwaway DB
TARGET_RATIO = 2.0
PAGE_SIZE = 25  # as perisai.cases.selectors.CASES_PER_PAGE
BARE_FORMS = ("agg", "semi", "corr", "hashed")
VARIANTS = ("view", "query", "sql", *(f"bare_{form}" for form in BARE_FORMS))


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    actor: str  # "supervisor" or "manager"
    params: tuple[tuple[str, str], ...]

    @property
    def query(self) -> dict[str, str]:
        return dict(self.params)

    @property
    def url(self) -> str:
        return "/staf/kasus/" + (f"?{urlencode(self.params)}" if self.params else "")


def scenarios(name_query: str) -> list[Scenario]:
    return [
        Scenario("all", "supervisor, all cases, no filter", "supervisor", (("semua", "1"),)),
        Scenario(
            "service_jombang_sexual",
            "supervisor: status layanan + kecamatan Jombang + sexual violence",
            "supervisor",
            (("semua", "1"), ("status", "layanan"), ("kecamatan", "36.72.05"), ("violence", "seksual")),
        ),
        Scenario(
            "high_risk_since_2025",
            "supervisor: risk tinggi, opened since 2025-01-01",
            "supervisor",
            (("semua", "1"), ("risk", "tinggi"), ("opened_from", "2025-01-01")),
        ),
        Scenario(
            "overdue", "supervisor: only cases with overdue tasks", "supervisor", (("semua", "1"), ("overdue", "true"))
        ),
        Scenario(
            "name_search",
            "supervisor: search a child's name (blind index)",
            "supervisor",
            (("semua", "1"), ("q", name_query)),
        ),
        Scenario(
            "number_prefix",
            "supervisor: search registration number 1234/",
            "supervisor",
            (("semua", "1"), ("q", "1234/")),
        ),
        Scenario("manager_mine", "case manager: own cases (the default page)", "manager", ()),
    ]


# --- Database -------------------------------------------------------------------------------------
def _admin(pg_base: str):
    import psycopg

    return psycopg.connect(f"{pg_base}/postgres", autocommit=True, connect_timeout=10)


def create_database(pg_base: str, name: str) -> None:
    with _admin(pg_base) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(pg_base: str, name: str) -> None:
    with _admin(pg_base) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def raw_connection(database_url: str):
    """A psycopg connection like Django's (client-side binding, UTC), for the raw SQL variants."""
    import psycopg

    connection = psycopg.connect(database_url, autocommit=True, connect_timeout=10, cursor_factory=psycopg.ClientCursor)
    connection.execute("SET TIME ZONE 'UTC'")
    return connection


def vacuum_analyze(database_url: str) -> float:
    started = time.monotonic()
    with raw_connection(database_url) as connection:
        connection.execute("VACUUM ANALYZE")
    return time.monotonic() - started


def set_jit(pg_base: str, name: str, jit: str) -> None:
    """JIT compilation is on by default in PostgreSQL 15 and costs 0.1-3 s on queries the planner thinks are
    expensive (cost > jit_above_cost), which is exactly the slow list queries: measured separately."""
    with _admin(pg_base) as connection:
        if jit == "off":
            connection.execute(f'ALTER DATABASE "{name}" SET jit = off')
        else:
            connection.execute(f'ALTER DATABASE "{name}" RESET jit')


def server_facts(database_url: str) -> dict[str, str]:
    with raw_connection(database_url) as connection:
        facts = {"version": connection.execute("SHOW server_version").fetchone()[0]}
        for setting in ("shared_buffers", "work_mem", "effective_cache_size", "random_page_cost", "jit"):
            facts[setting] = connection.execute(f"SHOW {setting}").fetchone()[0]
        for table in ("cases_case", "cases_victim", "cases_casetask"):
            facts[f"{table} size"] = connection.execute(
                "SELECT pg_size_pretty(pg_total_relation_size(%s::regclass))", [table]
            ).fetchone()[0]
    return facts


# --- The application side (after django.setup()) ----------------------------------------------------
def actors():
    from bench.generate_cases import SUPERVISOR_EMAIL
    from perisai.accounts.models import User

    manager = User.objects.filter(email__startswith="pendamping01.").get()
    return {"supervisor": User.objects.get(email=SUPERVISOR_EMAIL), "manager": manager}


def pick_name_query() -> str:
    """A real (synthetic) child's name, decrypted, for the name search: a victim of a non-restricted case."""
    from perisai.cases.models import Victim

    victim = (
        Victim.objects.filter(case__restricted=False).exclude(name_index="").order_by("id")[Victim.objects.count() // 3]
    )
    return victim.name


def make_client(user):
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")  # an allowed host without setup_test_environment()
    client.force_login(user)
    return client


def capture_view_queryset(client, scenario: Scenario):
    """The scoped, filtered queryset the view hands to selectors.case_list_page(), so `query` measures
    exactly what the view builds for the request."""
    from perisai.cases import selectors, views

    captured = {}
    real = selectors.case_list_page

    def capturing(cases, number):
        captured["cases"] = cases
        return real(cases, number)

    with mock.patch.object(views.selectors, "case_list_page", capturing):
        response = client.get(scenario.url)
    if response.status_code != 200:
        raise RuntimeError(f"{scenario.key}: the view answered {response.status_code} ({response.get('Location', '')})")
    return captured["cases"], response


def evaluate(cases) -> tuple[int, list[str]]:
    """What the view does with its queryset: selectors.case_list_page() for page 1, i.e. the paginator's count
    and the 25 rows of page 1 as model instances."""
    from perisai.cases import selectors

    page = selectors.case_list_page(cases._chain(), 1)
    rows = list(page.object_list)
    return page.paginator.count, [case.registration_number for case in rows]


def orm_statements(queryset) -> list[str]:
    """The SQL the ORM sends for count + page 1, as executed (psycopg's client-side binding)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        evaluate(queryset)
    return [query["sql"] for query in context.captured_queries]


# --- The hand-written SQL -------------------------------------------------------------------------------
def bare_statements(actor, query: dict[str, str], form: str = "agg") -> tuple[str, str, dict]:
    """(count SQL, page SQL, params): the same question as the view, written by hand for PostgreSQL.

    form "agg": overdue counts from one grouped scan of all late tasks, hash-joined to the matching cases.
    form "semi": the same, but only the late tasks of matching cases (the filter repeated as IN (...)), so a
    selective filter reaches the tasks through the case_id index.
    form "corr": a correlated count per row (SELECT count(*) ... WHERE t.case_id = c.id), one probe of the
    partial index on open tasks (cases_task_open_due_idx) per matching case.
    form "hashed": the correlated count only for the cases in a hashed set of cases with late tasks
    (CASE WHEN c.id IN (...) THEN (SELECT count(*) ...) ELSE 0 END), one hash probe for the others.
    Which is fastest depends on how many cases match; the benchmark takes the fastest per scenario."""
    from django.utils import timezone

    from perisai.accounts.choices import Role
    from perisai.cases.filters import REGISTRATION
    from perisai.cases.models import Victim

    now = timezone.now()
    params: dict = {"me": actor.pk, "now": now}
    team = "EXISTS (SELECT 1 FROM cases_caseteammember tm WHERE tm.case_id = c.id AND tm.user_id = %(me)s)"
    if actor.has_role(Role.SUPERVISOR):
        scope = (
            f"(NOT c.restricted OR c.case_manager_id = %(me)s OR {team} OR EXISTS (SELECT 1 FROM "  # noqa: S608
            "cases_caseaccessgrant g WHERE g.case_id = c.id AND g.user_id = %(me)s AND g.expires_at > %(now)s))"
        )
    else:
        scope = f"(c.case_manager_id = %(me)s OR {team})"
    where = [scope]
    if query.get("semua") != "1":
        where.append("c.case_manager_id = %(me)s")
    late = "t.done_at IS NULL AND t.due_at < %(now)s"
    for name in ("status", "risk"):
        if query.get(name):
            where.append(f"c.{name} = %({name})s")
            params[name] = query[name]
    if query.get("kecamatan"):
        where.append("c.kecamatan_id = (SELECT id FROM regions_region WHERE code = %(kecamatan)s)")
        params["kecamatan"] = query["kecamatan"]
    if query.get("violence"):
        where.append(
            "EXISTS (SELECT 1 FROM cases_victim v WHERE v.case_id = c.id AND v.violence_key LIKE %(violence)s)"
        )
        params["violence"] = f"%|{query['violence']}|%"
    if query.get("overdue") in {"true", "false"}:
        negate = "" if query["overdue"] == "true" else "NOT "
        where.append(f"{negate}EXISTS (SELECT 1 FROM cases_casetask t WHERE t.case_id = c.id AND {late})")  # noqa: S608
    zone = timezone.get_current_timezone()
    if query.get("opened_from"):
        where.append("c.opened_at >= %(opened_from)s")
        params["opened_from"] = dt.datetime.combine(dt.date.fromisoformat(query["opened_from"]), dt.time.min, zone)
    if query.get("opened_to"):
        where.append("c.opened_at < %(opened_to)s")
        day = dt.date.fromisoformat(query["opened_to"]) + dt.timedelta(days=1)
        params["opened_to"] = dt.datetime.combine(day, dt.time.min, zone)
    value = (query.get("q") or "").strip()
    if value:
        if REGISTRATION.match(value):
            # Registration numbers start with digits, so a case-sensitive prefix is the same match and
            # can use the varchar_pattern_ops index Django creates for the unique column.
            # Stored numbers are upper case (PERISAI_CASE_NUMBER_FORMAT), so LIKE on the upper-cased input
            # finds what the view's UPPER(...) LIKE UPPER(...) finds, and can use that index.
            where.append("c.registration_number LIKE %(prefix)s")
            params["prefix"] = value.upper().replace("%", r"\%").replace("_", r"\_") + "%"
        else:
            digits = re.sub(r"\D", "", value)
            if len(digits) == 16:
                column, index = "nik_index", Victim._meta.get_field("nik_index").index_for(digits)
            else:
                column, index = "name_index", Victim._meta.get_field("name_index").index_for(value)
            where.append(f"EXISTS (SELECT 1 FROM cases_victim v WHERE v.case_id = c.id AND v.{column} = %(index)s)")  # noqa: S608
            params["index"] = index
    condition = " AND ".join(where)
    # Only fixed fragments are joined into the text; every value goes in as a bound parameter.
    # Inside the derived table "c" is the inner cases_case: the same condition, for the matching ids only.
    restrict = f" AND t.case_id IN (SELECT c.id FROM cases_case c WHERE {condition})" if form == "semi" else ""  # noqa: S608
    count_sql = f"SELECT count(*) FROM cases_case c WHERE {condition}"  # noqa: S608
    if form in {"corr", "hashed"}:
        overdue = f"(SELECT count(*) FROM cases_casetask t WHERE t.case_id = c.id AND {late})"  # noqa: S608
        if form == "hashed":
            overdue = (
                f"CASE WHEN c.id IN (SELECT t.case_id FROM cases_casetask t WHERE {late}) THEN {overdue} ELSE 0 END"  # noqa: S608
            )
        page_sql = (
            "SELECT c.public_id, c.registration_number, c.restricted, c.status, c.risk, c.opened_at, "  # noqa: S608
            f"k.name AS kecamatan, u.full_name, u.email, {overdue} AS overdue_tasks "
            "FROM cases_case c "
            "LEFT JOIN regions_region k ON k.id = c.kecamatan_id "
            "LEFT JOIN accounts_user u ON u.id = c.case_manager_id "
            f"WHERE {condition} ORDER BY overdue_tasks DESC, c.opened_at DESC LIMIT {PAGE_SIZE}"
        )
        return count_sql, page_sql, params
    page_sql = (
        "SELECT c.public_id, c.registration_number, c.restricted, c.status, c.risk, c.opened_at, "  # noqa: S608
        "k.name AS kecamatan, u.full_name, u.email, COALESCE(l.n, 0) AS overdue_tasks "
        "FROM cases_case c "
        "LEFT JOIN (SELECT t.case_id, count(*) AS n FROM cases_casetask t "
        f"WHERE {late}{restrict} GROUP BY t.case_id) l ON l.case_id = c.id "
        "LEFT JOIN regions_region k ON k.id = c.kecamatan_id "
        "LEFT JOIN accounts_user u ON u.id = c.case_manager_id "
        f"WHERE {condition} ORDER BY overdue_tasks DESC, c.opened_at DESC LIMIT {PAGE_SIZE}"
    )
    return count_sql, page_sql, params


def run_bare(connection, statements) -> tuple[int, list[str]]:
    count_sql, page_sql, params = statements
    total = connection.execute(count_sql, params).fetchone()[0]
    rows = connection.execute(page_sql, params).fetchall()
    return total, [row[1] for row in rows]


def run_raw(connection, statements: list[str]) -> None:
    for sql in statements:
        connection.execute(sql).fetchall()


def explain(connection, sql: str, params=None) -> str:
    rows = connection.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params).fetchall()
    return "\n".join(row[0] for row in rows)


def plan_summary(plan: str) -> dict:
    indexes = sorted(set(re.findall(r"Index(?: Only)? Scan(?: Backward)? using (\S+)", plan)))
    indexes += sorted(set(re.findall(r"Bitmap Index Scan on (\S+)", plan)))
    seq = sorted(set(re.findall(r"Seq Scan on (\S+)", plan)))
    jit = re.search(r"Timing: .*Total ([\d.]+) ms", plan)
    disk = re.findall(r"Disk: (\d+)kB", plan)
    executed = re.search(r"Execution Time: ([\d.]+) ms", plan)
    return {
        "indexes": indexes,
        "seq_scans": seq,
        "jit_ms": float(jit.group(1)) if jit else 0.0,
        "sort_spill_kb": sum(int(d) for d in disk),
        "execution_ms": float(executed.group(1)) if executed else None,
    }


# --- Measuring -------------------------------------------------------------------------------------
@dataclass
class Result:
    scenario: str
    title: str
    url: str
    count: int
    view_queries: int
    load: float = 0.0  # 1-minute load average when the scenario's timing ended (shared machine)
    times_ms: dict[str, list[float]] = field(default_factory=dict)
    checks: dict[str, bool] = field(default_factory=dict)
    plans: dict[str, dict] = field(default_factory=dict)

    def median(self, variant: str) -> float:
        if variant == "bare":
            return min(self.median(f"bare_{form}") for form in BARE_FORMS)
        return statistics.median(self.times_ms[variant])

    @property
    def bare_form(self) -> str:
        return min(BARE_FORMS, key=lambda form: self.median(f"bare_{form}"))

    @property
    def ratio(self) -> float:
        """The acceptance ratio: the list query against the bare SQL."""
        return self.median("query") / self.median("bare")

    @property
    def view_ratio(self) -> float:
        return self.median("view") / self.median("bare")


def measure_scenario(
    scenario: Scenario, *, people, clients, raw, repeat: int, warmup: int, explain_dir: Path
) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    actor = people[scenario.actor]
    client = clients[scenario.actor]
    cases, response = capture_view_queryset(client, scenario)
    with CaptureQueriesContext(connection) as context:
        client.get(scenario.url)
    statements = orm_statements(cases)
    bare = {form: bare_statements(actor, scenario.query, form) for form in BARE_FORMS}

    query_result = evaluate(cases)
    bare_results = {form: run_bare(raw, statements) for form, statements in bare.items()}
    result = Result(
        scenario=scenario.key,
        title=scenario.title,
        url=scenario.url,
        count=query_result[0],
        view_queries=len(context.captured_queries),
    )
    result.checks = {
        "view 200": response.status_code == 200,
        "bare (every form) = query (count and page 1)": all(b == query_result for b in bare_results.values()),
        "query sends 2 statements (or 1 when nothing matches)": len(statements) == (2 if query_result[0] else 1),
    }
    if not all(result.checks.values()):
        print(f"  {scenario.key}: CHECK FAILED {result.checks}", file=sys.stderr)
        print(f"    query {query_result[0]} {query_result[1][:5]}", file=sys.stderr)
        for form, (total, numbers) in bare_results.items():
            print(f"    bare_{form} {total} {numbers[:5]}", file=sys.stderr)

    # The page is the statement that is not the COUNT (both contain LIMIT: EXISTS subqueries end in LIMIT 1).
    page_statement = next(sql for sql in statements if not sql.lstrip().upper().startswith("SELECT COUNT("))
    plans = {
        "query_count": explain(raw, next(s for s in statements if s is not page_statement))
        if len(statements) > 1
        else "",
        "query_page": explain(raw, page_statement),
        "bare_count": explain(raw, bare["agg"][0], bare["agg"][2]),
        **{f"bare_page_{form}": explain(raw, bare[form][1], bare[form][2]) for form in BARE_FORMS},
    }
    explain_dir.mkdir(parents=True, exist_ok=True)
    with (explain_dir / f"{scenario.key}.txt").open("w", encoding="utf-8") as handle:
        for name, plan in plans.items():
            handle.write(f"===== {name}\n{plan}\n\n")
        handle.write("===== query statements\n" + "\n\n".join(statements) + "\n")
    result.plans = {name: plan_summary(plan) for name, plan in plans.items() if plan}

    runners = {
        "view": lambda: client.get(scenario.url),
        "query": lambda: evaluate(cases),
        "sql": lambda: run_raw(raw, statements),
        **{f"bare_{form}": (lambda form=form: run_bare(raw, bare[form])) for form in BARE_FORMS},
    }
    for _ in range(warmup):
        for run in runners.values():
            run()
    result.times_ms = {name: [] for name in VARIANTS}
    for index in range(repeat):
        # Rotate the order so a busy moment on a shared machine does not always hit the same variant.
        order = VARIANTS[index % len(VARIANTS) :] + VARIANTS[: index % len(VARIANTS)]
        for name in order:
            started = time.perf_counter()
            runners[name]()
            result.times_ms[name].append((time.perf_counter() - started) * 1000)
    result.load = os.getloadavg()[0]
    return result


def measure_all(args, database_url: str, label: str, explain_dir: Path) -> list[Result]:
    people = actors()
    clients = {role: make_client(user) for role, user in people.items()}
    name_query = pick_name_query()
    selected = [s for s in scenarios(name_query) if not args.only or s.key in args.only]
    results = []
    with raw_connection(database_url) as raw:
        for scenario in selected:
            print(f"  [{label}] {scenario.key} ...", file=sys.stderr, flush=True)
            result = measure_scenario(
                scenario,
                people=people,
                clients=clients,
                raw=raw,
                repeat=args.repeat,
                warmup=args.warmup,
                explain_dir=explain_dir,
            )
            print(
                f"  [{label}] {scenario.key}: query {result.median('query'):.1f} ms, bare"
                f" {result.median('bare'):.1f} ms, ratio {result.ratio:.2f}"
                f" (whole page {result.median('view'):.1f} ms)",
                file=sys.stderr,
                flush=True,
            )
            results.append(result)
    return results


# --- Output ----------------------------------------------------------------------------------------
def table(results: list[Result]) -> str:
    header = (
        f"{'scenario':<24} {'rows':>7} {'query':>9} {'sql':>9} {'bare':>13} {'query/bare':>10} {'verdict':>7} "
        f"{'page':>9} {'page/bare':>9} {'q':>3} {'load':>5}  checks"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        lines.append(
            f"{r.scenario:<24} {r.count:>7} {r.median('query'):>9.1f} {r.median('sql'):>9.1f} "
            f"{r.median('bare'):>8.1f} {r.bare_form:<4} {r.ratio:>10.2f} "
            f"{'met' if r.ratio <= TARGET_RATIO else 'NOT met':>7} "
            f"{r.median('view'):>9.1f} {r.view_ratio:>9.2f} {r.view_queries:>3} {r.load:>5.1f}  "
            f"{'ok' if all(r.checks.values()) else 'FAILED'}"
        )
    lines.append("")
    lines.append("medians in ms; rows = cases matching")
    lines.append("query = the list query the view runs (count + page 1 as model instances): the acceptance measure")
    lines.append(
        "sql = query's two statements run raw; bare = the fastest hand-written form (agg / semi / corr / hashed)"
    )
    lines.append(
        "page = the whole GET /staf/kasus/ (middleware, session, filter form, template) for reference; "
        "q = SQL statements per page"
    )
    return "\n".join(lines)


def plans_table(results: list[Result]) -> str:
    lines = []
    for r in results:
        for name in ("query_page", "query_count", *(f"bare_page_{form}" for form in BARE_FORMS), "bare_count"):
            p = r.plans.get(name)
            if not p:
                continue
            lines.append(
                f"{r.scenario:<24} {name:<10} exec {p['execution_ms'] or 0:>8.1f} ms  jit {p['jit_ms']:>6.1f} ms  "
                f"sort spill {p['sort_spill_kb']:>6} kB  seq scans {','.join(p['seq_scans']) or '-'}  "
                f"indexes {','.join(p['indexes']) or '-'}"
            )
    return "\n".join(lines)


@contextmanager
def stage(name: str):
    started = time.monotonic()
    print(f"{name} ...", file=sys.stderr, flush=True)
    yield
    print(f"{name}: {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["postgres"], required=True, help="only PostgreSQL (the production database)")
    parser.add_argument("--cases", type=int, default=100_000, help="cases to generate [100000]")
    parser.add_argument("--repeat", type=int, default=7, help="measured runs per variant and scenario [7]")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured runs per variant first [2]")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pg", default=PG_DEFAULT, help=f"PostgreSQL server, without database [{PG_DEFAULT}]")
    parser.add_argument("--name", default=DB_NAME, help=f"throwaway database name [{DB_NAME}]")
    parser.add_argument(
        "--var-dir",
        type=Path,
        default=VAR_DIR,
        help=f"PERISAI_VAR_DIR for the run: generated keys (needed again with --reuse) and EXPLAIN output [{VAR_DIR}]",
    )
    parser.add_argument("--reuse", action="store_true", help="measure the existing --name database (kept)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--jit",
        choices=["off", "server"],
        default="off",
        help="PostgreSQL JIT for the bench database: off (default; see the report) or the server's setting",
    )
    parser.add_argument("--only", nargs="*", help="scenario keys to run (default: all)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    args = parser.parse_args(argv)
    if not (1 <= args.repeat <= 100 and 0 <= args.warmup <= 20 and 1 <= args.cases <= 2_000_000):
        parser.error("need 1..100 repeats, 0..20 warm-up runs, 1..2,000,000 cases")
    if not re.match(r"^postgres(ql)?://[^/@]*@(127\.0\.0\.1|localhost)(:\d+)?/?$", args.pg):
        parser.error("--pg must be postgres://user@127.0.0.1[:port]: this benchmark never talks to another host")
    if not re.match(r"^perisai_bench_\w+$", args.name):
        parser.error("--name must start with perisai_bench_ (the script drops it)")

    pg_base = args.pg.rstrip("/")
    database_url = f"{pg_base}/{args.name}"
    var_dir = args.var_dir
    var_dir.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PERISAI_ENV": "development",  # generated keys in PERISAI_VAR_DIR; production refuses those
            "DEBUG": "false",  # as in production: no query log, no debug toolbar-like overhead
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
            with stage(f"create database {args.name}"):
                create_database(pg_base, args.name)
                created = True
        import django

        django.setup()
        from django.core.management import call_command

        if not args.reuse:
            with stage("migrate"):
                call_command("migrate", interactive=False, verbosity=0)
                call_command("createcachetable", verbosity=0)
            from bench.generate_cases import generate

            with stage(f"generate {args.cases} cases"):
                generated = generate(args.cases, seed=args.seed)
            facts["generate_seconds"] = round(generated.seconds)
            facts["generated"] = {
                "cases": generated.cases,
                "victims": generated.victims,
                "tasks": generated.tasks,
                "overdue_tasks": generated.overdue_tasks,
                "team_members": generated.team_members,
                "grants": generated.grants,
                "statuses": dict(generated.statuses),
            }
            facts["generator_checks"] = generated.checks
            if not all(generated.checks.values()):
                print(f"generator checks failed: {generated.checks}", file=sys.stderr)
                return 1
            with stage("VACUUM ANALYZE"):
                facts["vacuum_analyze_seconds"] = round(vacuum_analyze(database_url))
        set_jit(pg_base, args.name, args.jit)
        from django.db import connections as django_connections

        django_connections.close_all()  # new connections get the database's jit setting
        from perisai.cases.models import Case, CaseTask, Victim

        facts["rows"] = {
            "cases": Case.objects.count(),
            "victims": Victim.objects.count(),
            "tasks": CaseTask.objects.count(),
        }
        facts["server"] = server_facts(database_url)
        with stage("measure"):
            phases = {"app indexes": measure_all(args, database_url, "app indexes", var_dir / "explain" / "app")}
        load_after = os.getloadavg()
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - Django may not be set up yet
            pass
        if created and not args.keep:
            drop_database(pg_base, args.name)

    print()
    print(
        f"Perisai case-list benchmark, {started_at:%Y-%m-%d %H:%M %Z}, {platform.node()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {source_state()}"
    )
    server = facts["server"]
    print(
        f"PostgreSQL {server['version']} on 127.0.0.1 (shared_buffers {server['shared_buffers']}, work_mem "
        f"{server['work_mem']}, jit {server['jit']}); rows: {facts['rows']}; sizes: case "
        f"{server['cases_case size']}, victim {server['cases_victim size']}, task {server['cases_casetask size']}"
    )
    if "generate_seconds" in facts:
        print(f"generated in {facts['generate_seconds']} s: {facts['generated']}")
    print(
        f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f}; "
        f"{args.repeat} measured runs (+{args.warmup} warm-up) per variant, medians"
    )
    for label, results in phases.items():
        print()
        print(f"== {label}")
        print(table(results))
        print()
        print(plans_table(results))
        worst = max(results, key=lambda r: r.ratio)
        verdict = "meets" if worst.ratio <= TARGET_RATIO else "DOES NOT MEET"
        print(
            f"\nworst query/bare = {worst.ratio:.2f} ({worst.scenario}; {verdict} the target of {TARGET_RATIO:g});"
            f" worst whole page/bare = {max(r.view_ratio for r in results):.2f} (reference only)"
        )
    print(f"\nEXPLAIN output: {var_dir / 'explain'}")
    if args.keep or args.reuse:
        print(f"kept database {args.name}")
    if args.json:
        payload = {
            "started_at": started_at.isoformat(),
            "host": platform.node(),
            "cpus": os.cpu_count(),
            "source": source_state(),
            "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
            "load_before": load_before,
            "load_after": load_after,
            "facts": facts,
            "phases": {label: [asdict(r) for r in results] for label, results in phases.items()},
        }
        args.json.write_text(json.dumps(payload, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
