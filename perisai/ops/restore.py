"""`manage.py restore`: verify an archive completely, put it back, then prove the result is sound.

Verification comes first and changes nothing: the archive is decrypted into a private folder (0700), every
member's size and SHA-256 is compared with the manifest, and the manifest with this installation (same database
vendor, no migration this code does not know). Only then are the database and the attachments replaced. The
checks afterwards: rows per table as in the manifest, a sample of encrypted values and attachment files opened
with FIELD_ENCRYPTION_KEYS (so the field keys still match the data), `audit_verify` and `stats_rebuild --check`.
The private folder is deleted in every case, so nothing of the archive stays on disk in clear.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from perisai.audit.choices import AuditAction
from perisai.audit.services import audit_record
from perisai.core import attachments, crypto
from perisai.core.fields import PREFIX
from perisai.core.models import Attachment, ProcessHeartbeat
from perisai.core.rotation import encrypted_columns
from perisai.ops import databases
from perisai.ops.archive import CHUNK_SIZE, BackupError, DecryptingReader, backup_key
from perisai.ops.backup import (
    MANIFEST_FORMAT,
    MANIFEST_NAME,
    WORK_PREFIXES,
    archive_member_name,
    backup_dir,
    check_locations,
    exclusive,
)

MAX_MANIFEST_BYTES = 64 << 20
SAMPLE_ROWS = 3  # encrypted values opened per column, attachment files opened in all


@dataclass(frozen=True)
class Unpacked:
    """A verified archive, unpacked in a private folder that `unpacked_archive` deletes afterwards."""

    folder: Path
    manifest: dict

    @property
    def created_at(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.manifest["created_at"])

    @property
    def database(self) -> Path:
        return self.folder / self.manifest["database"]["file"]

    @property
    def media(self) -> Path:
        return self.folder / "media"


@dataclass
class Check:
    name: str
    ok: bool | None  # None: not run (said why in `lines`)
    lines: list[str] = field(default_factory=list)


# --- Verification ----------------------------------------------------------------------------------


def _extract(tar: tarfile.TarFile, member: tarfile.TarInfo, folder: Path) -> tuple[int, str]:
    target = folder / member.name
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    source = tar.extractfile(member)
    digest, size = hashlib.sha256(), 0
    try:
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise BackupError(f"Arsip tidak sah: {member.name} muncul dua kali.") from None
    with os.fdopen(descriptor, "wb") as copy:
        while block := source.read(CHUNK_SIZE):
            digest.update(block)
            size += len(block)
            copy.write(block)
    return size, digest.hexdigest()


def _unpack(path: Path, key: bytes, folder: Path) -> dict:
    """Decrypt and untar into `folder`; returns the manifest once every file matched it."""
    found: dict[str, tuple[int, str]] = {}
    manifest_body = None
    try:
        source = path.open("rb")
    except OSError as error:
        raise BackupError(f"Arsip tidak dapat dibuka: {error.strerror}.") from None
    with source:
        reader = DecryptingReader(source, key)
        try:
            with tarfile.open(fileobj=reader, mode="r|") as tar:
                for member in tar:
                    if manifest_body is not None:
                        raise BackupError("Arsip tidak sah: ada isi setelah manifest.")
                    if not member.isreg() or not archive_member_name(member.name):
                        raise BackupError(f"Arsip tidak sah: anggota tak terduga {member.name!r}.")
                    if member.name == MANIFEST_NAME:
                        if member.size > MAX_MANIFEST_BYTES:
                            raise BackupError("Arsip tidak sah: manifest terlalu besar.")
                        manifest_body = tar.extractfile(member).read()
                    else:
                        found[member.name] = _extract(tar, member, folder)
        except tarfile.TarError as error:
            raise BackupError(f"Isi arsip rusak: {error}") from None
        reader.drain()  # the rest of the stream, up to and including the final chunk, must authenticate too
    if manifest_body is None:
        raise BackupError("Arsip tidak sah: manifest tidak ada.")
    try:
        manifest = json.loads(manifest_body)
        listed = {entry["path"]: (int(entry["size"]), str(entry["sha256"])) for entry in manifest["files"]}
    except (ValueError, KeyError, TypeError):
        raise BackupError("Manifest arsip tidak terbaca.") from None
    problems = [f"{name}: tidak ada dalam arsip" for name in sorted(set(listed) - set(found))]
    problems += [f"{name}: tidak tercatat di manifest" for name in sorted(set(found) - set(listed))]
    problems += [
        f"{name}: ukuran atau SHA-256 berbeda dari manifest"
        for name in sorted(set(found) & set(listed))
        if found[name] != listed[name]
    ]
    if problems:
        raise BackupError("Isi arsip tidak cocok dengan manifest:\n- " + "\n- ".join(problems))
    return manifest


def _check_manifest(manifest: dict) -> None:
    """The archive must fit this installation: known format, same database vendor, no newer schema."""
    if manifest.get("format") != MANIFEST_FORMAT:
        raise BackupError(f"Format manifest {manifest.get('format')!r} tidak dikenal oleh versi Perisai ini.")
    try:
        archived_vendor = manifest["database"]["vendor"]
        database_file = manifest["database"]["file"]
        migrations = manifest["migrations"]
        row_counts = manifest["row_counts"]
        dt.datetime.fromisoformat(manifest["created_at"])
    except (KeyError, TypeError, ValueError):
        raise BackupError("Manifest arsip tidak lengkap.") from None
    if not isinstance(migrations, dict) or not isinstance(row_counts, dict):
        raise BackupError("Manifest arsip tidak lengkap.")
    if database_file not in {entry["path"] for entry in manifest["files"]}:
        raise BackupError("Arsip tidak memuat salinan basis data yang disebut manifest.")
    current = databases.vendor()
    if archived_vendor != current:
        raise BackupError(
            f"Arsip berasal dari basis data {archived_vendor}, sedangkan instalasi ini memakai {current}. "
            "Pulihkan ke instalasi dengan basis data yang sama."
        )
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    installed = {config.label for config in apps.get_app_configs()}
    unknown = sorted(
        f"{app}.{name}"
        for app, names in migrations.items()
        if app in installed
        for name in names
        if (app, name) not in known
    )
    if unknown:
        shown = ", ".join(unknown[:5]) + (" ..." if len(unknown) > 5 else "")
        raise BackupError(
            f"Arsip dibuat oleh versi Perisai yang lebih baru ({manifest.get('perisai_version', '?')}): skemanya "
            f"memuat migrasi yang tidak dikenal kode ini ({shown}). Pasang versi itu dulu, lalu pulihkan."
        )


@contextlib.contextmanager
def unpacked_archive(path: Path, *, key: bytes | None = None) -> Iterator[Unpacked]:
    """Verify the archive into a private folder (deleted on the way out, whatever happens)."""
    key = backup_key() if key is None else key
    workplace = backup_dir()
    check_locations(workplace)
    with exclusive(workplace):
        folder = Path(tempfile.mkdtemp(prefix=WORK_PREFIXES[1], dir=workplace))
        try:
            manifest = _unpack(Path(path), key, folder)
            _check_manifest(manifest)
            yield Unpacked(folder, manifest)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


# --- Putting it back -------------------------------------------------------------------------------


def processes_running() -> list[str]:
    """Web, worker and scheduler processes that beat within a lease: one still running would write into the data
    being replaced (a report received during the swap would vanish, a worker would send e-mails twice)."""
    lease = dt.timedelta(seconds=settings.PERISAI_WORKER_LEASE_SECONDS)
    try:
        beats = list(
            ProcessHeartbeat.objects.filter(seen_at__gte=timezone.now() - lease).values_list("kind", "host", "pid")
        )
    except DatabaseError:  # a new, empty database (a restore onto a fresh server): nothing runs against it
        return []
    finally:
        connections.close_all()
    return [f"{kind} di {host} (pid {pid})" for kind, host, pid in beats]


def _moves_copy(source: Path, target: Path) -> bool:
    """A move between two file systems is a copy: it needs room at the target."""
    return os.stat(source).st_dev != os.stat(target).st_dev


def _free_bytes(folder: Path) -> int:
    while not folder.exists():
        folder = folder.parent
    return shutil.disk_usage(folder).free


def restore_preflight(unpacked: Unpacked) -> None:
    """Refuse before anything is replaced: while Perisai still runs, or where the data would not fit. A restore that
    stopped half-way (database replaced, attachments not) would leave records whose files are missing."""
    running = processes_running()
    if running:
        raise BackupError(
            "Perisai masih berjalan: " + "; ".join(running) + ". Hentikan dulu (sudo systemctl stop perisai-web "
            "perisai-worker perisai-scheduler), tunggu satu menit, lalu ulangi. Tidak ada yang diubah."
        )
    needed: dict[Path, int] = {}
    media = Path(settings.MEDIA_ROOT)
    media_bytes = sum(int(entry["size"]) for entry in unpacked.manifest["files"] if entry["path"].startswith("media/"))
    probe = media if media.exists() else media.parent
    if probe.exists() and _moves_copy(unpacked.folder, probe):
        needed[probe] = media_bytes  # moved across file systems: copied, so it needs the room
    if unpacked.manifest["database"]["vendor"] == "sqlite":
        target = databases.sqlite_file()
        needed[target.parent] = needed.get(target.parent, 0) + unpacked.database.stat().st_size
    short = [
        f"{folder}: perlu {size >> 20} MB, tersedia {_free_bytes(folder) >> 20} MB"
        for folder, size in needed.items()
        if _free_bytes(folder) < size
    ]
    if short:
        raise BackupError("Ruang disk tidak cukup untuk memulihkan:\n- " + "\n- ".join(short))


def restore_record(manifest: dict, archive: Path) -> None:
    """The first event after the restored ones: who can later read the trail sees that history was put back here,
    from which archive, and which stretch of time is missing. Written after the checks (which compare row counts
    with the archive's). Skipped on an older schema: `migrate` first, the summary says so."""
    if pending_migrations():
        return
    with transaction.atomic():
        audit_record(
            actor=None,
            action=AuditAction.DATA_RESTORED,
            object_type="ops.backup",
            object_id=archive.name[:64],
            extra={"archive_created_at": manifest["created_at"], "rows": sum(manifest["row_counts"].values())},
        )


def _replace_media(staged: Path) -> None:
    """MEDIA_ROOT becomes exactly the archive's copy (files moved out of the private folder), and so does the
    attachments' storage, in MEDIA_ROOT or in a bucket (core.attachments puts them back)."""
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    for child in list(root.iterdir()):
        if child.name == attachments.FOLDER:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    attachments.replace_all(staged / attachments.FOLDER)
    if staged.is_dir():
        for child in sorted(staged.iterdir()):
            if child.name != attachments.FOLDER:
                shutil.move(child, root / child.name)


def restore_apply(unpacked: Unpacked) -> None:
    """Replace the database (in one step or one transaction), then the attachments."""
    connections.close_all()
    if unpacked.manifest["database"]["vendor"] == "sqlite":
        databases.sqlite_restore(unpacked.database)
    else:
        databases.postgresql_restore(unpacked.database)
    connections.close_all()
    _replace_media(unpacked.media)


# --- The checks ------------------------------------------------------------------------------------


def pending_migrations(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def check_row_counts(manifest: dict) -> Check:
    expected = manifest["row_counts"]
    now = databases.current_row_counts(expected)
    different = sorted(table for table in expected if now[table] != expected[table])
    if different:
        return Check(
            "Jumlah baris per tabel",
            False,
            [f"{table}: {now[table]} baris, manifest {expected[table]}" for table in different],
        )
    return Check("Jumlah baris per tabel", True, [f"{len(expected)} tabel, {sum(expected.values())} baris, sama."])


def _storage_names_sql(connection) -> str:
    quote = connection.ops.quote_name
    return f"SELECT {quote('storage_name')} FROM {quote(Attachment._meta.db_table)}"  # noqa: S608  # nosec B608


def check_encrypted_sample(alias: str = DEFAULT_DB_ALIAS) -> Check:
    """Open a few values of every encrypted column and a few attachment files, printing none of them.

    Raw SQL over what exists, so it works on a schema older than the code (before `migrate`).
    """
    connection = connections[alias]
    name = "Contoh data terenkripsi dibuka dengan FIELD_ENCRYPTION_KEYS"
    opened, failed = 0, []
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for model, columns in encrypted_columns():
            table = model._meta.db_table
            if table not in tables:
                continue
            present = {column.name for column in connection.introspection.get_table_description(cursor, table)}
            quote = connection.ops.quote_name
            for column in (column for column in columns if column in present):
                # Names are the models' own, quoted; nothing comes from input.
                quoted = quote(column)
                sql = f"SELECT {quoted} FROM {quote(table)} WHERE {quoted} IS NOT NULL AND {quoted} <> ''"  # noqa: S608  # nosec B608
                cursor.execute(f"{sql} LIMIT {SAMPLE_ROWS}")
                for (value,) in cursor.fetchall():
                    try:
                        if not value.startswith(PREFIX):
                            raise crypto.InvalidToken
                        crypto.decrypt(value[len(PREFIX) :].encode())
                        opened += 1
                    except crypto.InvalidToken:
                        failed.append(f"{table}.{column}")
        files_opened, files_failed = 0, 0
        if Attachment._meta.db_table in tables:
            cursor.execute(f"{_storage_names_sql(connection)} LIMIT {SAMPLE_ROWS}")
            for (storage_name,) in cursor.fetchall():
                try:
                    attachments.read_decrypted(storage_name)
                    files_opened += 1
                except (OSError, ValueError, crypto.InvalidToken):
                    files_failed += 1
    lines = [f"{opened} nilai terenkripsi dan {files_opened} berkas lampiran dibuka."]
    if failed or files_failed:
        columns = sorted(set(failed))
        lines.append(
            f"Gagal dibuka: {len(failed)} nilai ({', '.join(columns)}) dan {files_failed} berkas lampiran. "
            "FIELD_ENCRYPTION_KEYS tidak cocok dengan data ini: pasang kunci yang berlaku saat arsip dibuat."
        )
        return Check(name, False, lines)
    return Check(name, True, lines)


def check_attachment_files(alias: str = DEFAULT_DB_ALIAS) -> Check:
    """Every attachment row should have its file. A file deleted between the database copy and the file copy
    (retention running during the backup) shows here; it is reported, not failed, being what the office deleted."""
    connection = connections[alias]
    name = "Berkas lampiran"
    if Attachment._meta.db_table not in connection.introspection.table_names():
        return Check(name, None, ["Tabel lampiran tidak ada."])
    with connection.cursor() as cursor:
        cursor.execute(_storage_names_sql(connection))
        names = [row[0] for row in cursor.fetchall()]
    stored = set(attachments.iter_names())  # one listing, not a request per file to a bucket
    missing = sum(1 for storage_name in names if storage_name not in stored)
    if missing:
        return Check(
            name, True, [f"{len(names)} lampiran; {missing} tanpa berkas (periksa, lihat docs/operations.md)."]
        )
    return Check(name, True, [f"{len(names)} lampiran, semua berkasnya ada."])


def _command_check(name: str, command: str, **options) -> Check:
    output = io.StringIO()
    try:
        call_command(command, stdout=output, stderr=output, **options)
    except CommandError as error:
        return Check(name, False, [*output.getvalue().splitlines(), str(error)])
    except Exception as error:  # e.g. data the field keys cannot open: the other checks still run
        # The type only: an exception's text can quote a value.
        return Check(name, False, [*output.getvalue().splitlines(), f"Berhenti dengan {type(error).__name__}."])
    return Check(name, True, output.getvalue().splitlines())


def restore_checks(manifest: dict) -> list[Check]:
    """Run after the data is back. audit_verify and stats_rebuild read through the models, which need the
    current schema: after an older archive they wait for `migrate` (the summary says so)."""
    checks = [check_row_counts(manifest), check_encrypted_sample(), check_attachment_files()]
    pending = pending_migrations()
    if pending:
        postponed = [
            f"Skema arsip lebih lama dari kode ({len(pending)} migrasi belum dijalankan). Jalankan "
            "`manage.py migrate`, lalu `manage.py audit_verify` dan `manage.py stats_rebuild --check`."
        ]
        checks += [Check("Jejak audit (audit_verify)", None, postponed), Check("Statistik", None, postponed)]
    else:
        checks.append(_command_check("Jejak audit (audit_verify)", "audit_verify"))
        checks.append(_command_check("Statistik (stats_rebuild --check)", "stats_rebuild", check=True))
    return checks
