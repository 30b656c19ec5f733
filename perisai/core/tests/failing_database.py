"""A database that fails the way a real one does during a restart or with a full disk, for outage tests.

- `database_fails()`: every query (or those matching a pattern) raises OperationalError, as Django raises it for a
  refused or dropped connection. Works on both databases, inside pytest-django's test transaction.
- `writes_refused()` (SQLite): the real engine refuses writes ("attempt to write a readonly database"), as it does
  for a read-only or full disk.
- `connection_dropped_before()` (PostgreSQL, transactional tests): the server really terminates this connection
  just before a matching statement, as a restart does ("terminating connection due to administrator command").
"""

from __future__ import annotations

import re
import time
from contextlib import contextmanager

from django.db import OperationalError, connection, connections


@contextmanager
def database_fails(matching: str | None = None, message: str = "server closed the connection unexpectedly"):
    pattern = re.compile(matching, re.IGNORECASE) if matching else None

    def refuse(execute, sql, params, many, context):
        if pattern is None or pattern.search(sql):
            raise OperationalError(message)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield


@contextmanager
def writes_refused():
    assert connection.vendor == "sqlite"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA query_only = ON")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = OFF")


@contextmanager
def connection_dropped_before(matching: str):
    """Needs a transactional test (the test's own transaction dies with the connection). Afterwards the connection
    is closed, as CONN_HEALTH_CHECKS closes a dead one at the start of the next request, so the next query
    reconnects."""
    assert connection.vendor == "postgresql"
    pattern = re.compile(matching, re.IGNORECASE)
    dropped = []

    def drop(execute, sql, params, many, context):
        if not dropped and pattern.search(sql):
            dropped.append(_terminate(context["connection"].connection.info.backend_pid))
        return execute(sql, params, many, context)

    try:
        with connection.execute_wrapper(drop):
            yield dropped
    finally:
        connection.close()


def _terminate(pid: int) -> int:
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            for _attempt in range(100):  # the backend is gone once the server no longer lists it
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone()[0] == 0:
                    break
                time.sleep(0.02)
    finally:
        other.close()
    return pid
