"""The read replica's router (perisai.core.replica): reads inside reading_from_replica() go to the replica, every
write and every other read to the primary, and a replica that does not answer is left alone for a while, its reads
going to the primary without an error. On SQLite and PostgreSQL; the replica here is a second connection to the
test database (perisai.core.tests.replicas), a real standby is in tests/deploy/test_replica.py."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import socket
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, router, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from perisai.core import replica
from perisai.core.models import RateCounter
from perisai.core.replica import REPLICA, reading_from_primary, reading_from_replica
from perisai.core.tests.replicas import replica_alias

ROOT = Path(__file__).resolve().parents[3]
WINDOW = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def counter(name: str, count: int = 1) -> RateCounter:
    return RateCounter.objects.create(key=name.ljust(64, "0"), window_start=WINDOW, count=count)


def sql_of(captured: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in captured.captured_queries]


def writes(statements: list[str]) -> list[str]:
    return [sql for sql in statements if sql.lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def unreachable(tmp_path) -> dict:
    """Settings of a replica that cannot be reached: nothing listens on the port, or the file cannot exist."""
    if connection.vendor == "postgresql":
        return {"HOST": "127.0.0.1", "PORT": closed_port()}
    return {"NAME": str(tmp_path / "missing" / "replica.sqlite3")}


@pytest.fixture
def replica_db(transactional_db):
    with replica_alias() as wrapper:
        yield wrapper


@pytest.mark.django_db
def test_without_a_replica_every_read_and_write_goes_to_the_primary():
    assert not replica.configured()
    with reading_from_replica() as alias:
        assert alias == DEFAULT_DB_ALIAS
        assert router.db_for_read(RateCounter) == DEFAULT_DB_ALIAS
        counter("plain")
        assert RateCounter.objects.get().count == 1


def test_only_the_primary_is_migrated():
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "core")
    assert not router.allow_migrate(REPLICA, "core")


# Transactional: inside a test's transaction every read stays on the primary, as in any transaction (and the
# replica's connection would not see the test's rows). Few tests, each telling a whole story: on PostgreSQL every
# transactional test costs seconds of TRUNCATE afterwards.
class RoutingTests:
    def test_reads_inside_the_block_go_to_the_replica_writes_and_later_reads_to_the_primary(self, replica_db):
        counter("before", 3)
        with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary, CaptureQueriesContext(replica_db) as copy:
            with reading_from_replica() as alias:
                assert alias == REPLICA
                assert router.db_for_read(RateCounter) == REPLICA
                row = RateCounter.objects.get()
                assert row.count == 3
                counter("inside")
                assert router.db_for_write(RateCounter) == DEFAULT_DB_ALIAS
            assert router.db_for_read(RateCounter) == DEFAULT_DB_ALIAS
            assert RateCounter.objects.count() == 2
            # Django would follow an object back to where it was read; outside the block the router says otherwise.
            assert row._state.db == REPLICA
            assert router.db_for_read(RateCounter, instance=row) == DEFAULT_DB_ALIAS
            row.count = 7
            row.save()
        assert any("core_ratecounter" in sql for sql in sql_of(copy))
        assert writes(sql_of(copy)) == []
        assert [sql.split()[0] for sql in writes(sql_of(primary))] == ["INSERT", "UPDATE"]
        assert any(sql.startswith("SELECT COUNT") for sql in sql_of(primary))
        assert RateCounter.objects.get(pk=row.pk).count == 7

    def test_inside_the_block_some_reads_stay_on_the_primary(self, replica_db):
        with reading_from_replica(), CaptureQueriesContext(replica_db) as copy:
            # Read-your-own-write: the row written in a transaction is on no copy yet.
            with transaction.atomic():
                counter("own")
                assert router.db_for_read(RateCounter) == DEFAULT_DB_ALIAS
                assert RateCounter.objects.filter(key="own".ljust(64, "0")).exists()
            # What one request writes there the next reads back: a rate limit, a used code, a queued task.
            assert router.db_for_read(Session) == DEFAULT_DB_ALIAS
            assert router.db_for_read(DBTaskResult) == DEFAULT_DB_ALIAS
            cache.set("perisai-test-replica", 1)
            assert cache.get("perisai-test-replica") == 1
            # Asked for by the code (the tallies' fold).
            with reading_from_primary():
                assert router.db_for_read(RateCounter) == DEFAULT_DB_ALIAS
                assert RateCounter.objects.count() == 1
                with reading_from_replica() as alias:  # asked again: checked again
                    assert alias == REPLICA
            assert router.db_for_read(RateCounter) == REPLICA
        assert sql_of(copy) == []


@pytest.mark.django_db(transaction=True)
class FallbackTests:
    def test_an_unreachable_replica_is_left_alone_and_its_reads_go_to_the_primary(self, tmp_path, caplog, monkeypatch):
        counter("fallback", 5)
        with replica_alias(**unreachable(tmp_path)) as wrapper:
            with caplog.at_level(logging.WARNING, logger="perisai.core.replica"):
                with reading_from_replica() as alias:
                    assert alias == DEFAULT_DB_ALIAS
                    assert RateCounter.objects.get().count == 5
            assert wrapper.connection is None
            assert 0 < replica.down_for() <= replica.DOWN_SECONDS
            assert "read replica unavailable" in caplog.text
            assert str(wrapper.settings_dict["NAME"]) not in caplog.text  # the error's type only
            assert str(wrapper.settings_dict["PORT"] or "replica.sqlite3") not in caplog.text

            # Within the window the replica is not tried at all: no page waits for its connect timeout again.
            with mock.patch.object(wrapper, "ensure_connection", side_effect=AssertionError("tried")):
                with reading_from_replica() as alias:
                    assert alias == DEFAULT_DB_ALIAS

            # After it, the replica is tried again, and used when it answers.
            wrapper.settings_dict.update(
                {key: connections[DEFAULT_DB_ALIAS].settings_dict[key] for key in ("NAME", "HOST", "PORT")}
            )
            later = replica.monotonic() + replica.DOWN_SECONDS + 1
            monkeypatch.setattr(replica, "monotonic", lambda: later)
            with reading_from_replica() as alias:
                assert alias == REPLICA
                assert RateCounter.objects.get().count == 5
            assert replica.down_for() == 0

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="a server connection to lose: PostgreSQL only")
    def test_a_replica_connection_lost_since_the_last_block_is_opened_again(self):
        counter("lost")
        with replica_alias() as wrapper:
            with reading_from_replica():
                assert RateCounter.objects.count() == 1
            pid = wrapper.connection.info.backend_pid
            with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
            with reading_from_replica() as alias:
                assert alias == REPLICA
                assert RateCounter.objects.count() == 1
            assert wrapper.connection.info.backend_pid != pid
            assert replica.down_for() == 0


@pytest.mark.django_db(transaction=True)
class LagTests:
    """A replica that answers but is far behind is treated like one that does not answer. The lag itself, measured on a
    real standby whose replay is paused, is in tests/deploy/test_replica.py."""

    def test_a_replica_too_far_behind_is_left_alone_and_its_reads_go_to_the_primary(
        self, replica_db, settings, caplog, monkeypatch
    ):
        counter("lag", 3)
        settings.PERISAI_REPLICA_MAX_LAG_SECONDS = 60
        monkeypatch.setattr(replica, "_lag", lambda _replica, _position: 61.0)
        with caplog.at_level(logging.WARNING, logger="perisai.core.replica"):
            with reading_from_replica() as alias, CaptureQueriesContext(replica_db) as copy:
                assert alias == DEFAULT_DB_ALIAS
                assert RateCounter.objects.get().count == 3
        assert writes(sql_of(copy)) == [] and not any("rate" in sql for sql in sql_of(copy))
        assert "read replica 61 s behind the primary" in caplog.text
        assert 0 < replica.down_for() <= replica.DOWN_SECONDS

        # Caught up again: used after the window.
        monkeypatch.setattr(replica, "_lag", lambda _replica, _position: 2.0)
        later = replica.monotonic() + replica.DOWN_SECONDS + 1
        monkeypatch.setattr(replica, "monotonic", lambda: later)
        with reading_from_replica() as alias:
            assert alias == REPLICA
        assert replica.lag_seconds() == 2.0

    def test_a_server_that_is_not_a_standby_is_never_behind(self, replica_db):
        """The stand-in replica is the test database itself; on PostgreSQL the lag query runs and answers 0."""
        assert replica.lag_seconds() == 0.0
        with reading_from_replica() as alias:
            assert alias == REPLICA

    def test_waiting_for_the_primary_s_writes_on_a_server_that_is_not_a_standby_ends_at_once(self, replica_db):
        assert replica.wait_for_primary_writes(REPLICA, timeout=0)
        assert replica.wait_for_primary_writes(DEFAULT_DB_ALIAS, timeout=0)

    def test_without_a_replica_there_is_no_lag_to_report(self):
        assert replica.lag_seconds() is None

    def test_a_replica_left_alone_as_behind_shows_its_last_lag_without_being_tried(self, replica_db, monkeypatch):
        monkeypatch.setattr(replica, "_lag", lambda _replica, _position: 61.0)
        with reading_from_replica():
            pass
        assert replica.down_for() > 0
        with mock.patch.object(replica, "_lag", side_effect=AssertionError("tried")):
            assert replica.lag_seconds() == 61.0  # the figure that made it be left alone, for the alert

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="replication positions: PostgreSQL only")
    def test_a_lag_the_primary_could_not_measure_is_not_the_replica_s_fault(self, replica_db, monkeypatch, caplog):
        monkeypatch.setattr(replica, "_PRIMARY_POSITION", "SELECT no_such_function()")
        with caplog.at_level(logging.WARNING, logger="perisai.core.replica"), reading_from_replica() as alias:
            assert alias == REPLICA  # the replica answered; only the primary's side of the measure failed
        assert replica.down_for() == 0 and "the primary did not answer" in caplog.text

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="replication positions: PostgreSQL only")
    def test_a_replica_that_fails_its_lag_query_is_left_alone(self, replica_db, monkeypatch, caplog):
        def fails(_replica, _position):
            raise DatabaseError("the replica's side")

        monkeypatch.setattr(replica, "_replica_lag", fails)
        with caplog.at_level(logging.WARNING, logger="perisai.core.replica"), reading_from_replica() as alias:
            assert alias == DEFAULT_DB_ALIAS
        assert replica.down_for() > 0 and "read replica unavailable" in caplog.text

    def test_the_lag_is_measured_once_in_a_while_not_on_every_page(self, replica_db, monkeypatch):
        measured = []
        monkeypatch.setattr(replica, "_lag", lambda _replica, _position: measured.append(1) or 0.5)
        for _page in range(3):
            with reading_from_replica() as alias:
                assert alias == REPLICA
        assert measured == [1]
        later = replica.monotonic() + replica.LAG_CHECK_SECONDS + 1
        monkeypatch.setattr(replica, "monotonic", lambda: later)
        with reading_from_replica():
            pass
        assert measured == [1, 1]

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="replication positions: PostgreSQL only")
    def test_a_replica_a_moment_behind_is_asked_again_before_it_is_left_alone(self, replica_db, monkeypatch):
        """The first write after a quiet hour: the replica's last replayed transaction is an hour old, but it
        replays the new one within milliseconds."""
        answers = iter([(True, 3600.0), (True, 0.0)])
        monkeypatch.setattr(replica, "_replica_lag", lambda _replica, _position: next(answers))
        with reading_from_replica() as alias:
            assert alias == REPLICA
        assert replica.down_for() == 0

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="a second server to promote: PostgreSQL only")
    def test_a_server_that_is_not_a_standby_of_the_primary_is_not_read(self, transactional_db, caplog):
        """Another database that is not in recovery (here the server's "postgres" database; in life a standby
        promoted while Perisai still writes to the old primary) never moves again: its reads go to the primary."""
        with replica_alias(NAME="postgres"), caplog.at_level(logging.WARNING, logger="perisai.core.replica"):
            with reading_from_replica() as alias:
                assert alias == DEFAULT_DB_ALIAS
            assert "read replica is not a standby" in caplog.text
            assert replica.down_for() > 0


def settings_in_a_process(tmp_path, **environment) -> subprocess.CompletedProcess:
    """config.settings as a fresh process reads them from these variables."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_URL", "PERISAI_"))}
    env.update({"PERISAI_VAR_DIR": str(tmp_path / "var"), **environment})
    script = (
        "import json, config.settings as s; "
        "print(json.dumps({'databases': s.DATABASES, 'routers': s.DATABASE_ROUTERS}, default=str))"
    )
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


class SettingsTests:
    def test_the_replica_comes_from_its_variable_with_a_short_connect_timeout_and_mirrors_the_tests(self, tmp_path):
        done = settings_in_a_process(
            tmp_path,
            DATABASE_URL="postgres://perisai@127.0.0.1:5432/perisai",
            CONN_MAX_AGE="120",
            PERISAI_REPLICA_DATABASE_URL="postgres://perisai_read:rahasia@10.0.0.12:5433/perisai",
        )
        assert done.returncode == 0, done.stderr
        found = json.loads(done.stdout)
        copy = found["databases"]["replica"]
        assert (copy["HOST"], copy["PORT"], copy["NAME"], copy["USER"]) == (
            "10.0.0.12",
            5433,
            "perisai",
            "perisai_read",
        )
        assert copy["ENGINE"] == "django.db.backends.postgresql"
        assert copy["OPTIONS"]["connect_timeout"] == 2
        assert copy["CONN_MAX_AGE"] == 120
        assert copy["TEST"] == {"MIRROR": "default"}
        assert found["routers"] == ["perisai.core.replica.ReplicaRouter"]

        alone = settings_in_a_process(tmp_path, DATABASE_URL="postgres://perisai@127.0.0.1:5432/perisai")
        assert alone.returncode == 0, alone.stderr
        assert set(json.loads(alone.stdout)["databases"]) == {"default"}

    def test_a_replica_of_sqlite_is_refused(self, tmp_path):
        done = settings_in_a_process(tmp_path, PERISAI_REPLICA_DATABASE_URL="postgres://perisai@10.0.0.12/perisai")
        assert done.returncode != 0
        assert "PERISAI_REPLICA_DATABASE_URL needs DATABASE_URL on PostgreSQL" in done.stderr
