"""`manage.py backup`: one private, encrypted, complete archive; and `manage.py restore` refusing every bad one.

These tests never restore: the refusals all come before anything is replaced (the drill, test_drill.py, restores).
"""

import datetime as dt
import hashlib
import io
import os
import re
import sys

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from perisai.ops import backup as backup_module
from perisai.ops.archive import CHUNK_SIZE, HEADER_SIZE, TAG_BYTES, BackupError, backup_key, generate_key
from perisai.ops.backup import backup_create, backup_latest, backup_list, backup_prune, exclusive
from perisai.ops.tests.helpers import manifest_of, read_members, with_manifest, write_members
from perisai.regions.models import Region

LOCK = ".perisai-backup.lock"


@pytest.fixture
def backups(settings, tmp_path):
    """A backup folder and key of the test's own."""
    settings.PERISAI_BACKUP_DIR = tmp_path / "backups"
    settings.PERISAI_BACKUP_KEY = generate_key()
    settings.PERISAI_BACKUP_KEEP = 14
    return settings.PERISAI_BACKUP_DIR


@pytest.fixture
def attachment_file(settings):
    """A file where attachments live (already encrypted in real life; copied as it is)."""
    path = settings.MEDIA_ROOT / "attachments" / "ab" / "ab12cd34ef56ab12cd34ef56ab12cd34"
    path.parent.mkdir(parents=True)
    path.write_bytes(os.urandom(3000))
    return path


def archive_name_time(name: str) -> dt.datetime:
    stamp = re.fullmatch(r"perisai-backup-(\d{8}T\d{6}Z)\.tar\.enc", name)[1]
    return dt.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)


def leftovers(folder) -> list[str]:
    """Anything in the backup folder that is neither an archive nor the lock file."""
    return sorted(path.name for path in folder.iterdir() if path.name != LOCK and not path.name.endswith(".tar.enc"))


@pytest.mark.django_db
class BackupTests:
    def test_an_archive_is_one_private_file_named_by_its_utc_time(self, backups):
        moment = dt.datetime(2026, 3, 4, 5, 6, 7, tzinfo=dt.timezone(dt.timedelta(hours=7)))
        with time_machine.travel(moment, tick=False):
            archive = backup_create()
        assert archive.parent == backups
        assert archive.name == "perisai-backup-20260303T220607Z.tar.enc"  # 05:06 WIB is 22:06 UTC the day before
        assert archive.stat().st_mode & 0o777 == 0o600
        assert backups.stat().st_mode & 0o777 == 0o700
        assert leftovers(backups) == []  # no work folder, no database copy in clear
        assert backup_latest() == moment
        raw = archive.read_bytes()
        assert raw.startswith(b"PERISAIB")
        for clear in (b"SQLite format 3", b"PGDMP", b"django_migrations", b"manifest.json"):
            assert clear not in raw

    def test_the_manifest_lists_every_member_with_its_size_and_sha256(self, backups, attachment_file, settings):
        archive = backup_create()
        members = read_members(archive)
        names = [name for name, _data in members]
        database = "database/perisai.sqlite3" if connection.vendor == "sqlite" else "database/perisai.pgdump"
        assert names == [database, "media/attachments/ab/ab12cd34ef56ab12cd34ef56ab12cd34", "manifest.json"]
        assert dict(members)[names[1]] == attachment_file.read_bytes()  # copied as it is
        manifest = manifest_of(members)
        assert manifest["files"] == [
            {"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()} for name, data in members[:-1]
        ]
        assert manifest["format"] == 1
        assert manifest["database"]["vendor"] == connection.vendor
        assert manifest["database"]["file"] == database
        assert archive_name_time(archive.name) == dt.datetime.fromisoformat(manifest["created_at"])
        assert manifest["row_counts"][Region._meta.db_table] == Region.objects.count() > 0
        leaves = MigrationLoader(None).graph.leaf_nodes()
        assert all(name in manifest["migrations"][app] for app, name in leaves if app in manifest["migrations"])
        assert "0001_initial" in manifest["migrations"]["cases"]

    def test_the_oldest_archives_beyond_keep_are_deleted_and_nothing_else(self, backups):
        backups.mkdir(mode=0o700)
        older = [backups / f"perisai-backup-2020010{day}T000000Z.tar.enc" for day in (1, 2, 3)]
        for path in older:
            path.write_bytes(b"old")
        unrelated = backups / "catatan.txt"
        unrelated.write_text("bukan arsip")
        newest = backup_create(keep=2)
        assert sorted(path.name for path in backups.iterdir()) == sorted(
            [LOCK, unrelated.name, older[2].name, newest.name]
        )
        assert [path for _moment, path in backup_list()] == [older[2], newest]
        assert backup_prune(keep=0) == []  # 0 keeps all
        assert backup_prune(keep=1) == [older[2]]

    def test_the_keep_option_of_the_command_prunes(self, backups):
        backups.mkdir(mode=0o700)
        (backups / "perisai-backup-20200101T000000Z.tar.enc").write_bytes(b"old")
        output = io.StringIO()
        call_command("backup", "--keep", "1", stdout=output)
        assert len(backup_list()) == 1
        assert "Cadangan dibuat" in output.getvalue()

    def test_no_archive_and_no_latest_time_in_an_empty_folder(self, backups):
        assert backup_latest() is None
        backups.mkdir()
        assert backup_latest() is None

    def test_without_a_key_nothing_is_written(self, backups, settings):
        settings.PERISAI_BACKUP_KEY = ""
        with pytest.raises(CommandError, match="PERISAI_BACKUP_KEY belum diatur"):
            call_command("backup")
        assert not backups.exists()

    def test_the_field_encryption_key_is_refused_as_backup_key(self, backups, settings):
        settings.PERISAI_BACKUP_KEY = settings.FIELD_ENCRYPTION_KEYS[0]
        with pytest.raises(CommandError, match="sama dengan kunci lain"):
            call_command("backup")
        assert not backups.exists()

    def test_a_fresh_key_is_printed_alone(self):
        output = io.StringIO()
        call_command("backup", "--generate-key", stdout=output)
        key = output.getvalue().strip()
        assert "\n" not in key
        assert len(backup_key(key)) == 32

    def test_what_an_interrupted_backup_left_is_swept_by_the_next(self, backups):
        backups.mkdir(mode=0o700)
        work = backups / ".perisai-backup-k1ll3d"
        work.mkdir()
        (work / "perisai.sqlite3").write_bytes(b"a copy in clear")
        (backups / ".perisai-backup-x.partial").write_bytes(b"half an archive")
        (backups / ".perisai-restore-y").mkdir()
        backup_create()
        assert leftovers(backups) == []

    def test_archives_are_never_kept_among_the_attachments(self, backups, settings):
        settings.PERISAI_BACKUP_DIR = settings.MEDIA_ROOT / "backups"
        with pytest.raises(CommandError, match="tidak boleh berada di dalam PERISAI_MEDIA_ROOT"):
            call_command("backup")
        with pytest.raises(CommandError, match="tidak boleh berada di dalam PERISAI_MEDIA_ROOT"):
            call_command("restore", "arsip.tar.enc", "--verify-only")
        assert not settings.PERISAI_BACKUP_DIR.exists()

    def test_a_second_backup_while_one_runs_is_refused(self, backups):
        with exclusive(backups), pytest.raises(BackupError, match="sedang berjalan"):
            backup_create()

    def test_two_archives_of_the_same_second_never_replace_each_other(self, tmp_path):
        moment = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
        names = []
        for content in (b"first", b"second"):
            partial = tmp_path / ".perisai-backup-p.partial"
            partial.write_bytes(content)
            names.append(backup_module._publish(partial, tmp_path, moment))
        assert [path.name for path in names] == [
            "perisai-backup-20260102T030405Z.tar.enc",
            "perisai-backup-20260102T030405Z-2.tar.enc",
        ]
        assert [path.read_bytes() for path in names] == [b"first", b"second"]
        assert [path for _moment, path in backup_list(destination=tmp_path)] == names


@pytest.fixture
def archive(db, backups, attachment_file):
    return backup_create()


@pytest.fixture
def current_media(settings):
    """A file in the current media folder: a refused restore must leave it."""
    sentinel = settings.MEDIA_ROOT / "attachments" / "cd" / "cd00"
    sentinel.parent.mkdir(parents=True, exist_ok=True)
    sentinel.write_bytes(b"current")
    return sentinel


def restore(path, *arguments) -> str:
    output = io.StringIO()
    call_command("restore", str(path), *arguments, stdout=output)
    return output.getvalue()


def forged(archive, tmp_path, members) -> str:
    path = tmp_path / "forged.tar.enc"
    write_members(path, members)
    return path


@pytest.mark.django_db
class RestoreRefusalTests:
    @pytest.fixture(autouse=True)
    def nothing_changes(self, archive, current_media, backups):
        """Whatever a test here does, the current files stay and nothing of the archive stays unpacked."""
        yield
        assert current_media.read_bytes() == b"current"
        assert leftovers(backups) == []

    def test_verify_only_checks_everything_and_changes_nothing(self, archive):
        output = restore(archive, "--verify-only")
        assert "semua checksum cocok" in output
        assert "Tidak ada yang diubah" in output

    def test_without_yes_and_without_a_terminal_nothing_is_replaced(self, archive, monkeypatch):
        monkeypatch.setattr(sys, "stdin", io.StringIO("PULIHKAN\n"))
        with pytest.raises(CommandError, match="Dibatalkan"):
            restore(archive)

    def test_a_wrong_answer_at_the_terminal_replaces_nothing(self, archive, monkeypatch):
        class Terminal(io.StringIO):
            def isatty(self):
                return True

        monkeypatch.setattr(sys, "stdin", Terminal("ya\n"))
        with pytest.raises(CommandError, match="Dibatalkan"):
            restore(archive)

    def test_a_wrong_key_is_refused(self, archive, settings):
        settings.PERISAI_BACKUP_KEY = generate_key()
        with pytest.raises(CommandError, match="Kunci cadangan salah"):
            restore(archive, "--yes")

    @pytest.mark.parametrize("where", [0.1, 0.5, 0.99])
    def test_a_flipped_byte_is_refused(self, archive, where):
        data = bytearray(archive.read_bytes())
        position = HEADER_SIZE + int((len(data) - HEADER_SIZE) * where)
        data[position] ^= 0x20
        archive.write_bytes(bytes(data))
        with pytest.raises(CommandError, match="rusak atau diubah"):
            restore(archive, "--yes")

    def test_an_archive_missing_its_last_chunk_is_refused_as_truncated(self, archive):
        data = archive.read_bytes()
        sealed = CHUNK_SIZE + TAG_BYTES
        chunks = -(-(len(data) - HEADER_SIZE) // sealed)
        archive.write_bytes(data[: HEADER_SIZE + (chunks - 1) * sealed])
        with pytest.raises(CommandError, match="terpotong"):
            restore(archive, "--yes")

    def test_an_archive_cut_anywhere_is_refused(self, archive):
        data = archive.read_bytes()
        archive.write_bytes(data[: len(data) - 1000])
        with pytest.raises(CommandError, match=r"Arsip (rusak|terpotong)"):
            restore(archive, "--yes")

    def test_bytes_appended_to_an_archive_are_refused(self, archive):
        archive.write_bytes(archive.read_bytes() + b"\x00" * 10)
        with pytest.raises(CommandError, match=r"Arsip (rusak|ditambah)"):
            restore(archive, "--yes")

    def test_a_member_that_does_not_match_the_manifest_is_refused(self, archive, tmp_path):
        members = read_members(archive)
        name, data = members[0]
        members[0] = (name, data[:-1] + bytes([data[-1] ^ 1]))  # sealed correctly, but not what was backed up
        with pytest.raises(CommandError, match=f"tidak cocok dengan manifest:\n- {name}: ukuran atau SHA-256"):
            restore(forged(archive, tmp_path, members), "--yes")

    def test_a_member_the_manifest_does_not_list_is_refused(self, archive, tmp_path):
        members = read_members(archive)
        members.insert(1, ("media/attachments/ee/ee00", b"tidak tercatat"))
        with pytest.raises(CommandError, match="media/attachments/ee/ee00: tidak tercatat di manifest"):
            restore(forged(archive, tmp_path, members), "--yes")

    def test_a_listed_member_missing_from_the_archive_is_refused(self, archive, tmp_path):
        members = [(name, data) for name, data in read_members(archive) if not name.startswith("media/")]
        with pytest.raises(CommandError, match="tidak ada dalam arsip"):
            restore(forged(archive, tmp_path, members), "--yes")

    @pytest.mark.parametrize("name", ["../etc/passwd", "/srv/x", "database/../../x", "lain/x", "media"])
    def test_a_member_outside_the_archive_layout_is_refused(self, archive, tmp_path, name):
        members = read_members(archive)
        members.insert(0, (name, b"x"))
        with pytest.raises(CommandError, match="anggota tak terduga"):
            restore(forged(archive, tmp_path, members), "--yes")
        assert not (tmp_path.parent / "x").exists()

    def test_an_archive_without_a_manifest_is_refused(self, archive, tmp_path):
        members = [(name, data) for name, data in read_members(archive) if name != "manifest.json"]
        with pytest.raises(CommandError, match="manifest tidak ada"):
            restore(forged(archive, tmp_path, members), "--yes")

    def test_an_archive_of_another_database_vendor_is_refused(self, archive, tmp_path):
        members = read_members(archive)
        manifest = manifest_of(members)
        manifest["database"]["vendor"] = "postgresql" if connection.vendor == "sqlite" else "sqlite"
        with pytest.raises(CommandError, match=f"memakai {connection.vendor}"):
            restore(forged(archive, tmp_path, with_manifest(members, manifest)), "--yes")

    def test_an_archive_of_a_newer_schema_is_refused(self, archive, tmp_path):
        members = read_members(archive)
        manifest = manifest_of(members)
        manifest["migrations"]["cases"].append("9999_from_the_future")
        with pytest.raises(CommandError, match=r"lebih baru .*cases\.9999_from_the_future"):
            restore(forged(archive, tmp_path, with_manifest(members, manifest)), "--yes")

    def test_migrations_of_an_app_no_longer_installed_do_not_count_as_newer(self, archive, tmp_path):
        members = read_members(archive)
        manifest = manifest_of(members)
        manifest["migrations"]["an_app_removed_since"] = ["0001_initial"]
        output = restore(forged(archive, tmp_path, with_manifest(members, manifest)), "--verify-only")
        assert "Tidak ada yang diubah" in output

    def test_a_file_that_is_no_archive_is_refused(self, archive, tmp_path):
        other = tmp_path / "foto.jpg"
        other.write_bytes(b"\xff\xd8\xff" + os.urandom(500))
        with pytest.raises(CommandError, match="bukan arsip cadangan"):
            restore(other, "--yes")
        with pytest.raises(CommandError, match="tidak dapat dibuka"):
            restore(tmp_path / "tidak-ada.tar.enc", "--yes")
