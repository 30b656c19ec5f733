"""Statistics from a real PostgreSQL streaming replica (issue 16, item 8): a hot standby of the server the tests run
on, made by `pg_basebackup -R -X stream` on loopback and started on a free port. Writes made through Perisai's
services stream to it; statistics read inside reading_from_replica() are read there; writes inside that block still
go to the primary; and once the standby is stopped the same reads go to the primary without an error.

Needs PostgreSQL on loopback, its server binaries (/usr/lib/postgresql/<major>/bin) and root: the standby runs as
the `postgres` user, which owns its data directory. The standby and its directory are removed at the end, whatever
happened.

Replication from loopback. pg_basebackup and the standby's WAL receiver open *replication* connections, which
pg_hba.conf allows only by a line naming `replication` (a line for `all` databases does not). Where there is none,
as on Debian's default and CI's server, the test appends one for the test's user from 127.0.0.1 only, reloads the
server, and removes the line and reloads again at the end, under a lock so that two runs never edit the file at
once; a line left by a killed run carries a marker and is removed by the next. It grants nothing new: the same user
already reaches every database from 127.0.0.1 by the file's `host all` line, as a superuser, who can read every
table and run `COPY ... TO PROGRAM`."""

from __future__ import annotations

import fcntl
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, router
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.cases.models import Case
from perisai.cases.tests.factories import open_case
from perisai.core import replica
from perisai.core.replica import REPLICA, reading_from_replica
from perisai.core.tests.replicas import replica_alias
from perisai.stats import counting
from perisai.stats.generate import generate_cases
from perisai.stats.periods import Period

YEAR = 2024
PERIOD = {"jenis": "tahun", "tahun": str(YEAR)}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MARK = "# perisai-test-replica: temporary, removed by tests/deploy/test_replica.py"
LOCK = Path(tempfile.gettempdir()) / "perisai-test-replica.lock"
RUNUSER = shutil.which("runuser") or "/usr/sbin/runuser"


def _why_not() -> str | None:
    if connection.vendor != "postgresql":
        return "a streaming replica needs the tests on PostgreSQL (DATABASE_URL=postgres://...)"
    if (connection.settings_dict["HOST"] or "localhost") not in LOOPBACK:
        return "the test server is not on loopback: its replica would be made on another machine"
    if os.geteuid() != 0:
        return "needs root: the standby runs as the postgres user, and replication may have to be allowed"
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return "no postgres user to run the standby as"
    if not Path(RUNUSER).exists():
        return "runuser is not installed"
    return None


pytestmark = [
    pytest.mark.skipif(_why_not() is not None, reason=_why_not() or ""),
    pytest.mark.deploy,
    pytest.mark.django_db(transaction=True),  # the standby sees only what is committed
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(check: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {seconds} s: {check.__doc__ or check}")
        time.sleep(0.1)


class Standby:
    """A hot standby of the test server in its own folder (owned by postgres, 0700), on a free loopback port."""

    def __init__(self, binaries: Path):
        self.binaries = binaries
        self.folder = Path(tempfile.mkdtemp(prefix="perisai-replica-"))
        os.chown(self.folder, pwd.getpwnam("postgres").pw_uid, pwd.getpwnam("postgres").pw_gid)
        self.data = self.folder / "data"
        self.port = free_port()
        self.running = False

    def as_postgres(self, program: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run(
            [RUNUSER, "-u", "postgres", "--", str(self.binaries / program), *args],
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def base_backup(self, settings: dict) -> subprocess.CompletedProcess:
        # -R: standby.signal and primary_conninfo; -X stream: the WAL of the copy's own duration, over a second
        # connection; fast checkpoint and no fsync: a throwaway copy, now.
        return self.as_postgres(
            "pg_basebackup",
            f"--host={settings['HOST'] or '127.0.0.1'}",
            f"--port={settings['PORT'] or 5432}",
            f"--username={settings['USER']}",
            f"--pgdata={self.data}",
            "--write-recovery-conf",
            "--wal-method=stream",
            "--checkpoint=fast",
            "--no-sync",
        )

    def configure(self, primary_limits: dict[str, str]) -> None:
        """Debian keeps the server's configuration outside its data folder, so the copy has none: a hot standby's
        own, with the primary's limits (a standby refuses to start with fewer connections, locks or workers)."""
        settings = {
            "port": str(self.port),
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.folder}'",
            "hot_standby": "on",
            "fsync": "off",
            "shared_buffers": "32MB",
            **primary_limits,
        }
        (self.data / "postgresql.conf").write_text("".join(f"{key} = {value}\n" for key, value in settings.items()))
        (self.data / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
        postgres = pwd.getpwnam("postgres")
        for name in ("postgresql.conf", "pg_hba.conf"):
            os.chown(self.data / name, postgres.pw_uid, postgres.pw_gid)

    def start(self) -> None:
        started = self.as_postgres(
            "pg_ctl", "--pgdata", str(self.data), "--log", str(self.folder / "server.log"), "-w", "-t", "60", "start"
        )
        self.running = started.returncode == 0
        assert self.running, started.stdout + started.stderr + self.log()

    def stop(self) -> None:
        if self.running:
            self.as_postgres("pg_ctl", "--pgdata", str(self.data), "-m", "immediate", "-w", "stop")
            self.running = False

    def log(self) -> str:
        path = self.folder / "server.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def remove(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def locked(seconds: float = 180) -> Iterator[None]:
    """One run at a time edits pg_hba.conf (another engineer's run, the other xdist worker)."""
    with LOCK.open("a") as handle:
        deadline = time.monotonic() + seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    pytest.fail(f"another run held {LOCK} for {seconds} s")
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _reload(cursor) -> None:
    cursor.execute("SELECT pg_reload_conf()")


def _without_marked_lines(hba: Path) -> bool:
    """Remove the lines a run added (in place: the file keeps its owner and mode). True if there were any."""
    lines = hba.read_text().splitlines(keepends=True)
    kept = [line for line in lines if not line.rstrip().endswith(MARK)]
    if kept != lines:
        hba.write_text("".join(kept))
    return kept != lines


@contextmanager
def replication_from_loopback(standby: Standby, settings: dict) -> Iterator[subprocess.CompletedProcess]:
    """Make the base backup, allowing replication from 127.0.0.1 for the test's user for as long as the block runs
    when the server's pg_hba.conf does not already (the module's docstring says why that is harmless)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW hba_file")
        hba = Path(cursor.fetchone()[0])
    with locked():
        with connection.cursor() as cursor:
            if _without_marked_lines(hba):  # left by a run that was killed
                _reload(cursor)
        made = standby.base_backup(settings)
        added = False
        try:
            if made.returncode != 0 and "pg_hba.conf" in made.stderr:
                if not os.access(hba, os.W_OK):
                    pytest.skip(f"{hba} allows no replication from 127.0.0.1 and cannot be changed here")
                original = hba.read_text()
                separator = "" if original.endswith("\n") or not original else "\n"
                addition = f"{separator}host replication {settings['USER']} 127.0.0.1/32 trust {MARK}\n"
                with hba.open("a") as rules:  # appended, so the file's own lines still come first
                    rules.write(addition)
                added = True
                with connection.cursor() as cursor:
                    _reload(cursor)
                deadline = time.monotonic() + 10  # the postmaster reloads in the background
                while True:
                    shutil.rmtree(standby.data, ignore_errors=True)
                    made = standby.base_backup(settings)
                    if made.returncode == 0 or "pg_hba.conf" not in made.stderr or time.monotonic() > deadline:
                        break
                    time.sleep(0.3)
            yield made
        finally:
            if added:
                if hba.read_text() == original + addition:
                    hba.write_text(original)  # byte for byte as it was
                else:
                    _without_marked_lines(hba)  # someone else changed it meanwhile: take out only our line
                with connection.cursor() as cursor:
                    _reload(cursor)


@pytest.fixture
def standby(transactional_db) -> Iterator[Standby]:
    """A running hot standby of the test server; stopped and deleted afterwards in every case."""
    major = connection.pg_version // 10000
    binaries = Path(f"/usr/lib/postgresql/{major}/bin")
    if not all((binaries / name).exists() for name in ("pg_basebackup", "pg_ctl", "postgres")):
        pytest.skip(f"PostgreSQL {major}'s server binaries are not in {binaries}")
    limits = {}
    with connection.cursor() as cursor:
        # A hot standby needs at least the primary's values of these.
        for name in (
            "max_connections",
            "max_worker_processes",
            "max_wal_senders",
            "max_prepared_transactions",
            "max_locks_per_transaction",
        ):
            cursor.execute(f"SHOW {name}")
            limits[name] = cursor.fetchone()[0]
    server = Standby(binaries)
    try:
        with replication_from_loopback(server, connection.settings_dict) as made:
            assert made.returncode == 0, made.stderr
            server.configure(limits)
            server.start()
            yield server
    finally:
        server.remove()


def test_statistics_read_the_streaming_replica_writes_go_to_the_primary_and_a_stopped_replica_falls_back(
    standby, make_user
):
    generate_cases(officer=make_user(Role.INTAKE_OFFICER), manager=make_user(Role.CASE_MANAGER), count=6, year=YEAR)
    expected = counting.facts_for(Period.year(YEAR)).victim_count  # on the primary: no block
    analyst, officer = make_user(Role.ANALYST), make_user(Role.INTAKE_OFFICER)
    client = Client()
    client.force_login(analyst)

    with replica_alias(HOST="127.0.0.1", PORT=standby.port) as copy:  # the test database's name, on the standby

        def streamed() -> bool:
            """the cases written on the primary are on the standby"""
            return Case.objects.using(REPLICA).count() == Case.objects.using(DEFAULT_DB_ALIAS).count() > 0

        wait_until(streamed)

        with reading_from_replica() as alias, CaptureQueriesContext(copy) as sent:
            assert alias == REPLICA
            with connections[router.db_for_read(Case)].cursor() as cursor:
                cursor.execute("SELECT pg_is_in_recovery(), current_setting('port')")
                assert cursor.fetchone() == (True, str(standby.port))
            assert counting.facts_for(Period.year(YEAR)).victim_count == expected
            # A write inside the block goes to the primary: the standby would refuse it (read-only).
            case = open_case(make_user, opener=officer)
        assert any('"cases_victim"' in query["sql"] for query in sent.captured_queries)
        assert Case.objects.filter(pk=case.pk).exists()

        def arrived() -> bool:
            """the case opened inside the block reached the standby from the primary"""
            return Case.objects.using(REPLICA).filter(pk=case.pk).exists()

        wait_until(arrived)

        # The dashboard: the tallies folded on the primary, read in one REPEATABLE READ snapshot of the standby.
        with CaptureQueriesContext(copy) as sent:
            response = client.get(reverse("stats:dashboard"), PERIOD)
        assert response.status_code == 200 and response.context["facts"].victim_count == expected
        statements = "\n".join(query["sql"] for query in sent.captured_queries)
        assert "REPEATABLE READ" in statements and '"stats_dailytally"' in statements

        standby.stop()
        with reading_from_replica() as alias:
            assert alias == DEFAULT_DB_ALIAS
            assert counting.facts_for(Period.year(YEAR)).victim_count == expected
        assert replica.down_for() > 0
        response = client.get(reverse("stats:dashboard"), PERIOD)
        assert response.status_code == 200 and response.context["facts"].victim_count == expected


def test_a_standby_that_stops_replaying_is_left_alone_until_it_has_caught_up(standby, settings, make_user, caplog):
    """A standby up and answering but behind (replay paused here; in life a broken link to the primary or a long
    query holding replay back) gives old figures without any error: past PERISAI_REPLICA_MAX_LAG_SECONDS its reads
    go to the primary, /metrics shows how far behind it is, and it is used again once it has caught up."""
    settings.PERISAI_REPLICA_MAX_LAG_SECONDS = 1
    officer = make_user(Role.INTAKE_OFFICER)
    metrics = Client(REMOTE_ADDR="127.0.0.1")

    with replica_alias(HOST="127.0.0.1", PORT=standby.port) as copy:

        def caught_up() -> bool:
            """the standby has replayed everything the primary wrote"""
            return replica.lag_seconds() == 0.0

        wait_until(caught_up)
        with reading_from_replica() as alias:
            assert alias == REPLICA

        with copy.cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_pause()")
        case = open_case(make_user, opener=officer)  # written on the primary, received but not replayed there

        def behind() -> bool:
            """the standby is more than a second behind"""
            return (replica.lag_seconds() or 0) > 1

        wait_until(behind)
        assert not replica.wait_for_primary_writes(REPLICA, timeout=0.3)  # a fold would not be seen: gives up
        with caplog.at_level("WARNING", logger="perisai.core.replica"), reading_from_replica() as alias:
            assert alias == DEFAULT_DB_ALIAS
            assert Case.objects.filter(pk=case.pk).exists()  # the primary's copy, with the new case
        assert "behind the primary" in caplog.text and replica.down_for() > 0
        # While it is left alone a scrape shows the lag that made it so, without trying the replica again.
        response = metrics.get(reverse("metrics"))
        body = response.content.decode().splitlines()
        lag = [line for line in body if line.startswith("perisai_replica_lag_seconds")]
        assert len(lag) == 1 and float(lag[0].split()[-1]) > 1, lag

        with copy.cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
        replica.forget_down()  # as after DOWN_SECONDS
        wait_until(caught_up)
        assert replica.wait_for_primary_writes(REPLICA, timeout=5)
        with reading_from_replica() as alias:
            assert alias == REPLICA
            assert Case.objects.filter(pk=case.pk).exists()  # now on the standby too
