"""Copying the database out of and back into SQLite and PostgreSQL, with what the manifest says about it.

A dump is taken from one consistent moment, and the row counts and applied migrations written into the
manifest are read from that same moment (SQLite: the copy itself; PostgreSQL: the exported snapshot pg_dump
reads), so a restore can compare them exactly while staff keep working during the backup.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3

# pg_dump, pg_restore and psql, with argument lists and no shell.
import subprocess  # nosec B404
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections

from perisai.ops.archive import BackupError

# How long the restore waits for a lock on PostgreSQL before giving up: a web process or worker still running
# would otherwise make it wait forever.
LOCK_TIMEOUT = "30s"
# What pg_dump, pg_restore or psql said, cut to this length: enough for the operator, and terse (psql prints
# no DETAIL or CONTEXT lines, which can quote a row's values).
ERROR_CHARS = 2000
RELAY_BYTES = 1 << 20


@dataclass(frozen=True)
class Snapshot:
    """A dump of the database and what was true of it at that moment."""

    path: Path
    vendor: str
    row_counts: dict[str, int]
    migrations: dict[str, list[str]]
    server_version: str = ""


def vendor(alias: str = DEFAULT_DB_ALIAS) -> str:
    found = connections[alias].vendor
    if found not in {"sqlite", "postgresql"}:
        raise BackupError(f"Basis data {found} tidak didukung oleh cadangan Perisai (hanya SQLite dan PostgreSQL).")
    return found


def model_tables() -> list[str]:
    """Every table Django knows (many-to-many tables included), once each and sorted."""
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(tables)


def _applied(rows: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in rows:
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _count_rows(cursor, quote, existing: set[str]) -> dict[str, int]:
    counts = {}
    for table in model_tables():
        if table in existing:
            # The table names are Django's own, quoted; nothing here comes from a user.
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608  # nosec B608
            counts[table] = cursor.fetchone()[0]
    return counts


# --- Reading the current database ------------------------------------------------------------------


def current_row_counts(tables: Iterable[str], alias: str = DEFAULT_DB_ALIAS) -> dict[str, int | None]:
    """Rows per table now (None for a table that does not exist), with SQL only: works on an older schema."""
    connection = connections[alias]
    existing = set(connection.introspection.table_names())
    counts: dict[str, int | None] = {}
    with connection.cursor() as cursor:
        for table in tables:
            if table not in existing:
                counts[table] = None
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608  # nosec B608
            counts[table] = cursor.fetchone()[0]
    return counts


# --- SQLite ----------------------------------------------------------------------------------------


def _sqlite_path(alias: str) -> Path:
    name = str(connections[alias].settings_dict["NAME"])
    if not name or name == ":memory:" or "mode=memory" in name:
        raise BackupError("Basis data SQLite di memori tidak dapat dicadangkan.")
    return Path(name)


def sqlite_file(alias: str = DEFAULT_DB_ALIAS) -> Path:
    """The SQLite database's file (a restore needs room beside it for the new copy)."""
    return _sqlite_path(alias)


def _quote_sqlite(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sqlite_dump(workdir: Path, alias: str = DEFAULT_DB_ALIAS) -> Snapshot:
    """SQLite's online backup API: a consistent copy while others keep reading and writing."""
    source_path = _sqlite_path(alias)
    target_path = workdir / "perisai.sqlite3"
    os.close(os.open(target_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    if not source_path.is_file():
        raise BackupError(f"Berkas basis data SQLite tidak ada: {source_path}.")
    source = sqlite3.connect(source_path, timeout=20)
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)
        # One self-contained file: no -wal beside it to forget. The live database goes back to WAL when Django
        # next opens it (the init_command of config/settings.py).
        target.execute("PRAGMA journal_mode=DELETE")
        cursor = target.cursor()
        existing = {row[0] for row in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        counts = _count_rows(cursor, _quote_sqlite, existing)
        migrations = _applied(cursor.execute("SELECT app, name FROM django_migrations").fetchall())
        version = sqlite3.sqlite_version
    except sqlite3.Error as error:
        raise BackupError(f"Salinan SQLite gagal: {error}") from None
    finally:
        target.close()
        source.close()
    return Snapshot(target_path, "sqlite", counts, migrations, version)


def sqlite_restore(dump: Path, alias: str = DEFAULT_DB_ALIAS) -> None:
    """Swap the database file for the archive's copy: written beside it, then renamed over it."""
    target = _sqlite_path(alias)
    try:
        check = sqlite3.connect(dump)
        try:
            if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("Salinan basis data dalam arsip rusak (PRAGMA integrity_check).")
        finally:
            check.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"Salinan basis data dalam arsip tidak terbaca: {error}") from None
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, staged_name = tempfile.mkstemp(prefix=f".{target.name}.restore-", dir=target.parent)
    staged = Path(staged_name)
    try:
        with os.fdopen(descriptor, "wb") as copy, dump.open("rb") as source:
            shutil.copyfileobj(source, copy)
            copy.flush()
            os.fsync(copy.fileno())
        connections[alias].close()
        if target.exists():
            # Fold the old write-ahead log into the old file first, so removing it loses nothing of a file that
            # a failed rename would leave in place. An old file too damaged for that is being replaced anyway.
            with contextlib.suppress(sqlite3.Error):
                old = sqlite3.connect(target, timeout=20)
                try:
                    old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                finally:
                    old.close()
        # A -wal, -shm or -journal of the old file beside the new one would be replayed into it: remove them
        # before the swap (every process is stopped, so nobody writes them again in between).
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(staged, target)
    finally:
        staged.unlink(missing_ok=True)


# --- PostgreSQL ------------------------------------------------------------------------------------


def _server_version(alias: str) -> int:
    connection = connections[alias]
    connection.ensure_connection()
    return connection.pg_version


def pg_tool(name: str, server_version: int) -> str:
    """The client program of the server's own major version.

    Debian's /usr/bin/pg_dump is pg_wrapper, which picks a version by its own rules (for a server reached over
    TCP: the newest installed). pg_dump refuses a server newer than itself, and a newer pg_restore writes SQL an
    older server does not know; the versioned binary of the server's major version avoids both.
    """
    major = server_version // 10000
    versioned = Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    if os.access(versioned, os.X_OK):
        return str(versioned)
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} tidak ditemukan: pasang postgresql-client-{major}.")
    return found


def _pg_env(alias: str) -> dict[str, str]:
    """Connection settings as libpq's environment: the password never appears on a command line (ps shows it)."""
    settings_dict = connections[alias].settings_dict
    _args, env = connections[alias].client.settings_to_cmd_args_env(settings_dict, [])
    found = {key: str(value) for key, value in (env or {}).items()}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGDATABASE", "NAME")):
        if settings_dict.get(key):
            found[variable] = str(settings_dict[key])
    return {**os.environ, **found, "PGAPPNAME": "perisai-backup"}


def _failed(program: str, stderr: bytes) -> BackupError:
    said = stderr.decode(errors="replace").strip()[:ERROR_CHARS]
    return BackupError(f"{program} gagal: {said or 'tanpa pesan'}")


def postgresql_dump(workdir: Path, alias: str = DEFAULT_DB_ALIAS) -> Snapshot:
    """pg_dump in custom format, reading the snapshot this connection exported and counted rows in."""
    server_version = _server_version(alias)
    target_path = workdir / "perisai.pgdump"
    os.close(os.open(target_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # pg_dump keeps the mode
    # A connection of its own: the caller's may be inside a transaction, and this one must stay open (holding the
    # snapshot) until pg_dump is done.
    reader = connections.create_connection(alias)
    try:
        with reader.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
            existing = set(reader.introspection.table_names(cursor))
            counts = _count_rows(cursor, reader.ops.quote_name, existing)
            cursor.execute("SELECT app, name FROM django_migrations")
            migrations = _applied(cursor.fetchall())
            command = [
                pg_tool("pg_dump", server_version),
                "--format=custom",
                "--no-password",
                f"--snapshot={snapshot_id}",
                f"--file={target_path}",
            ]
            # Programs found by pg_tool, settings in the environment, no shell, nothing from a user in argv.
            result = subprocess.run(command, env=_pg_env(alias), capture_output=True, check=False)  # noqa: S603
            if result.returncode != 0:
                raise _failed("pg_dump", result.stderr)
            cursor.execute("COMMIT")
    finally:
        reader.close()
    return Snapshot(target_path, "postgresql", counts, migrations, str(server_version))


# Everything in schema public goes first, in the same transaction as the restore: tables a newer version
# added would otherwise survive an older archive and make the following `migrate` fail ("already exists").
# The schema itself stays, with its owner and grants, which belong to the server's set-up, not to the data.
# Objects of extensions are left to their extension. IF EXISTS: a view goes with the table it reads.
_DROP_PUBLIC = """
DO $perisai$
DECLARE item record;
BEGIN
    FOR item IN
        SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE'
                              WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END AS kind, c.oid::regclass::text AS name
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
          -- not what belongs to a table (identity and serial sequences: dropped with it) or to an extension
          AND NOT EXISTS (SELECT 1 FROM pg_depend d
                          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i', 'e'))
        ORDER BY c.relkind <> 'r', c.relkind <> 'p', c.relname
    LOOP
        -- Dropping a table takes its sequences, indexes and triggers with it: IF EXISTS skips those later.
        EXECUTE format('DROP %s IF EXISTS %s CASCADE', item.kind, item.name);
    END LOOP;
    FOR item IN
        SELECT p.oid::regprocedure::text AS name
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public'
          AND NOT EXISTS (SELECT 1 FROM pg_depend d
                          WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('DROP ROUTINE IF EXISTS %s CASCADE', item.name);
    END LOOP;
END
$perisai$;
"""


def postgresql_restore(dump: Path, alias: str = DEFAULT_DB_ALIAS) -> None:
    """Replace the database's contents with the dump, all in one transaction: a failure changes nothing.

    pg_restore writes the dump as SQL into psql, which runs the clearing of schema public and the whole
    restore between one BEGIN and COMMIT (--single-transaction, ON_ERROR_STOP: ROLLBACK on the first error).
    --no-owner: the objects belong to the role running the restore (the one that runs `migrate`); the grants
    recorded in the dump (to the application's role) are restored with them.
    """
    server_version = _server_version(alias)
    connections[alias].close()
    env = _pg_env(alias)
    restore = [pg_tool("pg_restore", server_version), "--clean", "--if-exists", "--no-owner", "--file=-", str(dump)]
    psql = [
        pg_tool("psql", server_version),
        "--no-psqlrc",
        "--quiet",
        "--no-password",
        "--single-transaction",
        "--set=ON_ERROR_STOP=1",
        "--set=VERBOSITY=terse",
        "--set=SHOW_CONTEXT=never",
        f"--command=SET lock_timeout = '{LOCK_TIMEOUT}'",
        f"--command={_DROP_PUBLIC}",
        "--file=-",
    ]
    with tempfile.TemporaryFile() as restore_errors, tempfile.TemporaryFile() as psql_errors:
        # Files, not pipes, take what either says: a full stderr pipe nobody reads would stop the restore.
        producer = subprocess.Popen(restore, env=env, stdout=subprocess.PIPE, stderr=restore_errors)  # noqa: S603
        consumer = subprocess.Popen(  # noqa: S603
            psql, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=psql_errors
        )
        stopped_early = relayed_all = False
        try:
            while chunk := producer.stdout.read(RELAY_BYTES):
                try:
                    consumer.stdin.write(chunk)
                except BrokenPipeError:  # psql stopped at an error and rolled back
                    stopped_early = True
                    break
            else:
                relayed_all = True
        finally:
            producer.stdout.close()
            produced = producer.wait()
            if not (relayed_all and produced == 0) and consumer.poll() is None:
                # pg_restore failed part-way (or we were interrupted): psql must not reach the end of its input,
                # where it would COMMIT the part it received. Killed while its input is still open, its
                # transaction is rolled back.
                consumer.kill()
            with contextlib.suppress(BrokenPipeError):
                consumer.stdin.close()
            consumed = consumer.wait()
        if produced != 0 and not stopped_early:
            restore_errors.seek(0)
            raise _failed("pg_restore", restore_errors.read())
        if consumed != 0:
            psql_errors.seek(0)
            raise _failed("psql", psql_errors.read())
