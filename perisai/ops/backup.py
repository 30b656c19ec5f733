"""`manage.py backup` and the nightly backup: the database and the attachments in one encrypted archive.

Inside the archive (perisai/ops/archive.py seals it) is a tar of

- `database/perisai.sqlite3` (SQLite's online backup) or `database/perisai.pgdump` (pg_dump, custom format),
- `media/...`: every file under MEDIA_ROOT as it is, and under `media/attachments/` every attachment file as it is
  stored (already encrypted with the field keys), from MEDIA_ROOT or from the S3-compatible bucket alike,
- `manifest.json`, last: the format, Perisai's version, when the copy was taken (UTC), the database vendor, the
  applied migrations and the rows per table at that moment, and every other member's size and SHA-256.

The database is copied first and the attachments after it: an upload arriving in between leaves a file without a
row in the archive (harmless, `prune_attachments` sweeps it), never a row without its file. Nothing is read into
memory whole: the tar is written through the encrypting writer as it is made.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import io
import json
import os
import re
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import transaction
from django.utils import timezone

import perisai
from perisai.audit.choices import AuditAction
from perisai.audit.services import audit_record
from perisai.core import attachments
from perisai.ops import databases
from perisai.ops.archive import BackupError, EncryptingWriter, backup_key

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 1
ARCHIVE_PREFIX = "perisai-backup-"
ARCHIVE_SUFFIX = ".tar.enc"
ARCHIVE_NAME = re.compile(r"^perisai-backup-(\d{8}T\d{6}Z)(?:-(\d+))?\.tar\.enc$")
TIMESTAMP = "%Y%m%dT%H%M%SZ"
# Work in progress lives beside the archives under these names; see _exclusive for how leftovers are swept.
WORK_PREFIXES = (".perisai-backup-", ".perisai-restore-")
LOCK_NAME = ".perisai-backup.lock"
BLOCK = 1 << 20


def backup_dir() -> Path:
    return Path(settings.PERISAI_BACKUP_DIR)


def check_locations(folder: Path) -> None:
    """Archives inside MEDIA_ROOT would be copied into each next archive, and deleted by a restore."""
    media = Path(settings.MEDIA_ROOT).resolve()
    if folder.resolve().is_relative_to(media):
        raise BackupError("PERISAI_BACKUP_DIR tidak boleh berada di dalam PERISAI_MEDIA_ROOT.")


@contextlib.contextmanager
def exclusive(directory: Path) -> Iterator[None]:
    """One backup or restore at a time per folder, and a clean folder to work in.

    A backup killed half-way (power cut, OOM killer) leaves its work folder, which holds the database copy
    before encryption. Whoever holds the lock next knows no one else is working here, so anything left under a
    work name is such a leftover: it is deleted before the new work starts.
    """
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(directory / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupError(f"Pencadangan atau pemulihan lain sedang berjalan di {directory}.") from None
        for leftover in directory.iterdir():
            if leftover.name.startswith(WORK_PREFIXES):
                if leftover.is_dir() and not leftover.is_symlink():
                    shutil.rmtree(leftover, ignore_errors=True)
                else:
                    leftover.unlink(missing_ok=True)
        yield
    finally:
        os.close(descriptor)


def archive_member_name(name: str) -> bool:
    """Names a Perisai archive may hold: the manifest, one database file, files under media/."""
    path = PurePosixPath(name)
    if name != str(path) or path.is_absolute() or any(part in {"", ".", ".."} for part in path.parts):
        return False
    if "\x00" in name or "\\" in name:
        return False
    return name == MANIFEST_NAME or (path.parts[0] in {"database", "media"} and len(path.parts) >= 2)


class _Hashing(io.RawIOBase):
    """Reads a file for the tar while hashing exactly the bytes that went in."""

    def __init__(self, source):
        self._source = source
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._source.read(size)
        self.digest.update(data)
        return data


def _add_stream(tar: tarfile.TarFile, source, size: int, name: str, mtime: int) -> dict:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, mtime, 0o600
    hashing = _Hashing(source)
    tar.addfile(info, hashing)  # reads exactly `size` bytes, or fails if the file shrank meanwhile
    return {"path": name, "size": size, "sha256": hashing.digest.hexdigest()}


def _add_file(tar: tarfile.TarFile, path: Path, name: str, mtime: int) -> dict | None:
    try:
        source = path.open("rb")
    except FileNotFoundError:  # deleted since the folder was listed (retention): nothing to keep
        return None
    with source:
        return _add_stream(tar, source, os.fstat(source.fileno()).st_size, name, mtime)


def _add_attachment(tar: tarfile.TarFile, stored: str, mtime: int) -> dict | None:
    try:
        with attachments.open_stored(stored) as (source, size):
            return _add_stream(tar, source, size, f"media/{stored}", mtime)
    except FileNotFoundError:  # deleted since the storage was listed (retention): nothing to keep
        return None


def _media_files() -> Iterator[tuple[Path, str]]:
    """Files under MEDIA_ROOT but the attachments, which come from their storage (_add_attachment)."""
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return
    for folder, subfolders, files in os.walk(root):  # does not follow links
        if Path(folder) == root and attachments.FOLDER in subfolders:
            subfolders.remove(attachments.FOLDER)
        subfolders.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_symlink() or not path.is_file():
                continue
            member = "media/" + path.relative_to(root).as_posix()
            if archive_member_name(member):
                yield path, member


def _publish(partial: Path, destination: Path, created_at: dt.datetime) -> Path:
    """Give the finished archive its name without ever replacing another archive."""
    stamp = created_at.strftime(TIMESTAMP)
    for number in range(1, 1000):
        name = f"{ARCHIVE_PREFIX}{stamp}{'' if number == 1 else f'-{number}'}{ARCHIVE_SUFFIX}"
        final = destination / name
        try:
            os.link(partial, final)  # fails if the name is taken: never overwrites
        except FileExistsError:
            continue
        partial.unlink()
        directory = os.open(destination, os.O_RDONLY)
        try:
            os.fsync(directory)  # the new name survives a power cut
        finally:
            os.close(directory)
        return final
    raise BackupError("Terlalu banyak arsip dengan waktu yang sama.")


def backup_create(*, destination: Path | None = None, keep: int | None = None) -> Path:
    """Write one encrypted archive of the database and the attachments; returns its path.

    The archive appears under its final name only once complete (written under a work name, then linked), with
    mode 0600. Then older archives beyond `keep` (default PERISAI_BACKUP_KEEP; 0 keeps all) are deleted.
    """
    key = backup_key()
    vendor = databases.vendor()
    destination = Path(destination) if destination is not None else backup_dir()
    keep = settings.PERISAI_BACKUP_KEEP if keep is None else keep
    if keep < 0:
        raise BackupError("--keep harus 0 (simpan semua) atau lebih.")
    check_locations(destination)
    with exclusive(destination):
        # mkdtemp and mkstemp create 0700 and 0600: the database copy is never readable by others.
        workdir = Path(tempfile.mkdtemp(prefix=WORK_PREFIXES[0], dir=destination))
        descriptor, partial_name = tempfile.mkstemp(prefix=WORK_PREFIXES[0], suffix=".partial", dir=destination)
        partial = Path(partial_name)
        target = os.fdopen(descriptor, "wb")
        try:
            # The moment the copy is taken, a little before it: reports received after it are not in this
            # archive (docs/operations.md tells the office what to do about them after a restore).
            created_at = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
            if vendor == "sqlite":
                snapshot = databases.sqlite_dump(workdir)
            else:
                snapshot = databases.postgresql_dump(workdir)
            mtime = int(created_at.timestamp())
            with target:
                writer = EncryptingWriter(target, key)
                with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                    database_name = f"database/{snapshot.path.name}"
                    files = [_add_file(tar, snapshot.path, database_name, mtime)]
                    snapshot.path.unlink()  # in the archive now: the copy in clear goes at once
                    files += [_add_file(tar, path, member, mtime) for path, member in _media_files()]
                    files += [
                        _add_attachment(tar, stored, mtime)
                        for stored in attachments.stored_files()
                        if archive_member_name(f"media/{stored}")
                    ]
                    manifest = {
                        "format": MANIFEST_FORMAT,
                        "perisai_version": perisai.__version__,
                        "created_at": created_at.isoformat(),
                        "database": {
                            "vendor": snapshot.vendor,
                            "server_version": snapshot.server_version,
                            "file": database_name,
                        },
                        "migrations": snapshot.migrations,
                        "row_counts": snapshot.row_counts,
                        "files": [entry for entry in files if entry is not None],
                    }
                    body = json.dumps(manifest, indent=1, sort_keys=True).encode()
                    info = tarfile.TarInfo(MANIFEST_NAME)
                    info.size, info.mtime, info.mode = len(body), mtime, 0o600
                    tar.addfile(info, io.BytesIO(body))
                writer.close()
                target.flush()
                os.fsync(target.fileno())
            final = _publish(partial, destination, created_at)
            with transaction.atomic():
                # Every record leaves in this archive: accounted for like any export (the key is what protects it).
                audit_record(
                    actor=None,
                    action=AuditAction.BACKUP_CREATED,
                    object_type="ops.backup",
                    object_id=final.name[:64],
                    extra={"rows": sum(snapshot.row_counts.values()), "files": len(manifest["files"])},
                )
        finally:
            target.close()
            shutil.rmtree(workdir, ignore_errors=True)
            partial.unlink(missing_ok=True)
        backup_prune(destination=destination, keep=keep)
    return final


def backup_list(*, destination: Path | None = None) -> list[tuple[dt.datetime, Path]]:
    """The archives in the folder, oldest first, by the UTC time in their names."""
    folder = Path(destination) if destination is not None else backup_dir()
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = ARCHIVE_NAME.match(path.name)
        if match and path.is_file():
            moment = dt.datetime.strptime(match[1], TIMESTAMP).replace(tzinfo=dt.UTC)
            found.append((moment, int(match[2] or 1), path))
    return [(moment, path) for moment, _number, path in sorted(found)]


def backup_latest(*, destination: Path | None = None) -> dt.datetime | None:
    """When the newest archive was taken (UTC), or None: for the health page's "last backup age"."""
    archives = backup_list(destination=destination)
    return archives[-1][0] if archives else None


def backup_prune(*, destination: Path | None = None, keep: int | None = None) -> list[Path]:
    """Delete all but the newest `keep` archives (0 keeps all); only files named like our archives."""
    keep = settings.PERISAI_BACKUP_KEEP if keep is None else keep
    if keep < 0:
        raise BackupError("--keep harus 0 (simpan semua) atau lebih.")
    archives = backup_list(destination=destination)
    doomed = [path for _moment, path in archives[:-keep]] if keep else []
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed
