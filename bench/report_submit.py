"""Report submissions per second against a plain Django form and a bare insert, under gunicorn, SQLite or PostgreSQL.

    .venv/bin/python bench/report_submit.py --db sqlite|postgres [--prefill N] [--seconds S] [--clients C]

One run: a fresh database (a temporary SQLite file, or a throwaway PostgreSQL database that is dropped at
the end), migrate + createcachetable, optional pre-fill with synthetic reports, then gunicorn (bench.wsgi,
2 sync workers, 127.0.0.1 on a free port). Both endpoints are measured against that same server and
database: POST /lapor/ (the public form: validation, rate counting, encryption, audit, receipt page), the
baseline issue 17 names, POST /bench/plain-form/ (a ModelForm over the same fields that saves one row and renders
the same receipt template with a placeholder code and PIN: no encryption, audit or anti-abuse), and, as the floor,
POST /bench/bare-insert/ (one row inserted with raw SQL). Rounds rotate the order so a slow patch of a shared
machine does not always hit the same endpoint. Prints a table, the CPU per report and report/plain.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import loadclient, synthetic  # noqa: E402
from bench.runinfo import source_state  # noqa: E402

REPORT_PATH = "/lapor/"
PLAIN_PATH = "/bench/plain-form/"
BARE_PATH = "/bench/bare-insert/"
TARGET_RATIO = 0.5  # report/plain, requests per second (issue 17 item 3)
TARGET_CPU_MS = 8.0  # CPU of the gunicorn workers per report (issue 17 item 3)
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432"
VERY_HIGH = "10000000"  # the form's per-address and per-device hourly limits, out of the way


# --- Environment and database -------------------------------------------------------------------
def bench_env(*, var_dir: Path, database_url: str, conn_max_age: int | None) -> dict[str, str]:
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PERISAI_ENV": "development",  # generated keys in var_dir; production refuses those
        "DEBUG": "false",  # as in production: no query log, no debug pages
        "LOG_LEVEL": "WARNING",
        "PERISAI_VAR_DIR": str(var_dir),
        "PERISAI_MEDIA_ROOT": str(var_dir / "media"),
        "DATABASE_URL": database_url,
        "PERISAI_REPORTS_SOFT_LIMIT": VERY_HIGH,
        "PERISAI_REPORTS_HARD_LIMIT": VERY_HIGH,
    }
    if conn_max_age is not None:
        env["CONN_MAX_AGE"] = str(conn_max_age)
    return env


def _pg_admin(pg_base: str):
    import psycopg

    return psycopg.connect(f"{pg_base}/postgres", autocommit=True, connect_timeout=10)


def create_pg_database(pg_base: str, name: str) -> None:
    with _pg_admin(pg_base) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_pg_database(pg_base: str, name: str) -> None:
    with _pg_admin(pg_base) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare_database(prefill: int, seed: int) -> dict[str, int]:
    """In this process (the environment is already set): migrate, cache table, baseline table, pre-fill."""
    import django
    from django.core.management import call_command
    from django.db import connections

    django.setup()
    from bench.generate_reports import generate
    from bench.views import ensure_table
    from perisai.reports.models import Report

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    ensure_table()
    started = time.monotonic()
    if prefill:
        generate(prefill, seed=seed)
    facts = {"reports": Report.objects.count(), "prefill_seconds": round(time.monotonic() - started)}
    connections.close_all()  # the server gets the database to itself
    return facts


def database_facts() -> dict[str, int]:
    from django.db import connections

    from bench.views import count_rows
    from perisai.audit.models import AuditEvent
    from perisai.reports.models import Report

    rows = count_rows()
    facts = {
        "reports": Report.objects.count(),
        "audit_events": AuditEvent.objects.count(),
        "plain_rows": rows["plain"],
        "bench_rows": rows["bare"],
    }
    connections.close_all()
    return facts


# --- gunicorn ------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    def __init__(self, *, env: dict[str, str], port: int, workers: int, log_path: Path):
        self.port, self.workers, self.log_path = port, workers, log_path
        self.env = {**os.environ, **env}
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "bench.wsgi:application",
            "--chdir",
            str(ROOT),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--timeout",
            "60",
            "--log-level",
            "warning",
            "--no-control-socket",  # no shared ~/.gunicorn socket to collide with other servers
        ]
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - fixed command, our own interpreter
            command, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Poll /livez until it answers 200 (bounded by time and by count). Not /healthz: since issue 16 it also
        wants the background worker and the scheduler, which a benchmark does not run, and answers 503 without."""
        deadline = time.monotonic() + timeout
        for _ in range(int(timeout / 0.1) + 1):
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/livez")
                response = connection.getresponse()
                response.read()
                connection.close()
                if response.status == 200 and len(self.worker_pids()) == self.workers:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                break
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn not ready after {timeout:.0f} s:\n{self.log_tail()}")

    def worker_pids(self) -> list[int]:
        """Children of the gunicorn master, from /proc."""
        pids = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if ppid == self.process.pid:
                pids.append(int(entry))
        return pids

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()  # our own master, by pid; it stops its workers
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None
        self.log.close()

    def log_tail(self, lines: int = 30) -> str:
        if not self.log.closed:
            self.log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


# --- Measuring -----------------------------------------------------------------------------------
class Bodies:
    """Request bodies per client thread: a fresh token for every report, payloads of similar size."""

    def __init__(self, clients: int, seed: int):
        self.regions = synthetic.load_regions()
        self.rngs = [synthetic._rng(seed * 1000 + i) for i in range(clients)]
        self.counters = [0] * clients

    def report(self, index: int) -> bytes:
        self.counters[index] += 1
        fields = synthetic.form_fields(self.rngs[index], index * 1_000_000 + self.counters[index], self.regions)
        return urlencode(fields).encode()

    def plain(self, index: int) -> bytes:
        return self.report(index)  # the same fields; the plain form ignores the token

    def bare(self, index: int) -> bytes:
        self.counters[index] += 1
        rng = self.rngs[index]
        return urlencode(
            {"payload": synthetic.narrative(rng, self.counters[index]), "token": str(uuid.uuid4())}
        ).encode()


def measure(server: Gunicorn, args, bodies: Bodies) -> dict[str, loadclient.PhaseResult]:
    endpoints = {
        "report": (REPORT_PATH, bodies.report),
        "plain": (PLAIN_PATH, bodies.plain),
        "bare": (BARE_PATH, bodies.bare),
    }
    names = list(endpoints) if args.bare else ["report", "plain"]
    totals: dict[str, loadclient.PhaseResult] = {}
    for round_index in range(args.rounds):
        shift = round_index % len(names)
        order = names[shift:] + names[:shift]
        if round_index % 2:
            order.reverse()
        for name in order:
            path, make_body = endpoints[name]
            common = {
                "port": server.port,
                "path": path,
                "make_body": make_body,
                "expect": 201,
                "clients": args.clients,
                "worker_pids": server.worker_pids,
            }
            if args.warmup:
                loadclient.run_phase(f"{name} warm-up", seconds=args.warmup, **common)
            result = loadclient.run_phase(name, seconds=args.seconds, **common)
            print(
                f"  round {round_index + 1}/{args.rounds} {name:6s} {result.rate:8.1f} req/s "
                f"p50 {result.percentile(50) * 1000:6.1f} ms  errors {result.error_count}",
                file=sys.stderr,
                flush=True,
            )
            totals[name] = totals[name].merge(result) if name in totals else result
    return totals


def cpu_per_request(result: loadclient.PhaseResult) -> float:
    """Milliseconds of the gunicorn workers' CPU per successful request."""
    return result.worker_cpu / result.ok * 1000 if result.ok else float("nan")


def table(results: dict[str, loadclient.PhaseResult]) -> str:
    header = (
        f"{'endpoint':<26} {'ok':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} "
        f"{'CPU ms/req: workers':>19} {'client':>6} {'machine busy':>13}"
    )
    lines = [header, "-" * len(header)]
    for name, path in (("report", REPORT_PATH), ("plain", PLAIN_PATH), ("bare", BARE_PATH)):
        if name not in results:
            continue
        result = results[name]
        per_request = cpu_per_request(result)
        client_per_request = result.client_cpu / result.ok * 1000 if result.ok else float("nan")
        lines.append(
            f"{name + ' ' + path:<26} {result.ok:>7} {result.rate:>8.1f} {result.percentile(50) * 1000:>8.1f} "
            f"{result.percentile(99) * 1000:>8.1f} {result.error_count:>7} {per_request:>19.2f} "
            f"{client_per_request:>6.2f} {result.machine_busy:>12.0%}"
        )
        if result.errors:
            lines.append(f"    errors: {dict(result.errors)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--prefill", type=int, default=0, help="synthetic reports to create before measuring")
    parser.add_argument("--seconds", type=float, default=15.0, help="measured seconds per endpoint and round")
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured seconds before each measurement")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads")
    parser.add_argument("--rounds", type=int, default=2, help="rounds; the order of the endpoints rotates")
    parser.add_argument(
        "--no-bare", dest="bare", action="store_false", help="leave out the bare insert (an extra line, not the target)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pg", default=PG_DEFAULT, help=f"PostgreSQL server, without database [{PG_DEFAULT}]")
    parser.add_argument("--conn-max-age", type=int, default=None, help="override CONN_MAX_AGE (default: settings)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory and database")
    args = parser.parse_args(argv)
    if not (1 <= args.clients <= 256 and 1 <= args.rounds <= 20 and 0 < args.seconds <= 600 and args.prefill >= 0):
        parser.error("need 1..256 clients, 1..20 rounds, 0 < seconds <= 600, prefill >= 0")
    pg_url = urlsplit(args.pg)
    if pg_url.scheme not in {"postgres", "postgresql"} or pg_url.hostname != "127.0.0.1" or pg_url.path.strip("/"):
        parser.error("--pg must be postgres://user@127.0.0.1[:port], without a database: loopback only")

    var_dir = Path(tempfile.mkdtemp(prefix="perisai-bench-"))
    pg_name = f"perisai_bench_{os.getpid()}"
    if args.db == "sqlite":
        database_url = f"sqlite:///{var_dir / 'perisai.sqlite3'}"
    else:
        database_url = f"{args.pg.rstrip('/')}/{pg_name}"
    env = bench_env(var_dir=var_dir, database_url=database_url, conn_max_age=args.conn_max_age)
    os.environ.update(env)
    server = None
    pg_created = False
    started_at = dt.datetime.now().astimezone()
    source = source_state()
    try:
        if args.db == "postgres":
            create_pg_database(args.pg.rstrip("/"), pg_name)
            pg_created = True
        print(f"Preparing a fresh {args.db} database in {var_dir} ...", file=sys.stderr, flush=True)
        facts = prepare_database(args.prefill, args.seed)
        server = Gunicorn(env=env, port=free_port(), workers=args.workers, log_path=var_dir / "gunicorn.log")
        server.start()
        server.wait_ready()
        print(f"gunicorn ready on 127.0.0.1:{server.port}; measuring ...", file=sys.stderr, flush=True)
        results = measure(server, args, Bodies(args.clients, args.seed))
        server.stop()
        after = database_facts()
        tail = server.log_tail() if server.log_path.exists() else ""
    finally:
        if server is not None:
            server.stop()
        if pg_created and not args.keep:
            drop_pg_database(args.pg.rstrip("/"), pg_name)
        if not args.keep:
            shutil.rmtree(var_dir, ignore_errors=True)

    ratio = results["report"].rate / results["plain"].rate if results["plain"].rate else float("nan")
    from django.db import connection

    print()
    print(
        f"Perisai report-submit benchmark, {started_at:%Y-%m-%d %H:%M %Z}, {platform.node()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {source}"
    )
    print(
        f"database {args.db} ({connection.vendor}, CONN_MAX_AGE={connection.settings_dict['CONN_MAX_AGE']}), "
        f"gunicorn {args.workers} sync workers on 127.0.0.1, "
        f"{args.clients} clients, {args.rounds} x {args.seconds:g} s per endpoint (+{args.warmup:g} s warm-up each)"
    )
    print(
        f"pre-filled reports: {args.prefill} (took {facts['prefill_seconds']} s); after the run: "
        f"{after['reports']} reports, {after['audit_events']} audit events, {after['plain_rows']} plain-form rows, "
        f"{after['bench_rows']} bare rows"
    )
    print()
    print(table(results))
    print()
    cpu = {name: cpu_per_request(result) for name, result in results.items()}
    verdict = "meets" if ratio >= TARGET_RATIO else "BELOW"
    print(f"ratio report/plain = {ratio:.3f} req/s  ({verdict} the target of at least {TARGET_RATIO})")
    print(f"CPU ratio plain/report = {cpu['plain'] / cpu['report']:.3f}  (the same comparison, from the workers' CPU)")
    verdict = "meets" if cpu["report"] <= TARGET_CPU_MS else "ABOVE"
    print(f"CPU per report = {cpu['report']:.2f} ms  ({verdict} the target of at most {TARGET_CPU_MS:g} ms)")
    if "bare" in results:
        bare = results["bare"].rate
        print(f"ratio report/bare = {results['report'].rate / bare if bare else float('nan'):.3f} (for comparison)")
    if args.keep:
        print(f"kept: {var_dir}" + (f" and database {pg_name}" if args.db == "postgres" else ""))
    if any(result.error_count for result in results.values()) and tail.strip():
        print("\ngunicorn log (tail):\n" + tail)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
