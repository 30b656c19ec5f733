"""The restore drill, as the office runs it: back up real data, wipe everything, restore, compare.

Transactional (`transaction=True`): the backup reads the database from outside the test's connection, as the
nightly backup does, so the data must be committed; and a restore replaces the database under the test.
"""

import datetime as dt
import hashlib
import io
import shutil
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from perisai.accounts.choices import Role
from perisai.audit.choices import AuditAction
from perisai.audit.models import AuditEvent
from perisai.audit.verify import verify_chain
from perisai.cases.models import Victim
from perisai.cases.tests.factories import open_case
from perisai.core import attachments
from perisai.core.models import Attachment, ProcessHeartbeat
from perisai.core.services import attachment_store
from perisai.core.tests.uploads import jpeg_with_gps
from perisai.ops import databases, restore
from perisai.ops.archive import generate_key
from perisai.ops.backup import backup_create
from perisai.ops.restore import pending_migrations
from perisai.ops.tests.helpers import manifest_of, read_members, with_manifest, write_members
from perisai.privacy.models import SubjectRequest
from perisai.privacy.tests.factories import DEMO_CHILD, subject_request
from perisai.reports.models import Report

SECRETS = [DEMO_CHILD["subject_name"], DEMO_CHILD["subject_nik"], DEMO_CHILD["subject_address"], "Siti"]


@pytest.fixture
def backups(settings, tmp_path):
    settings.PERISAI_BACKUP_DIR = tmp_path / "backups"
    settings.PERISAI_BACKUP_KEY = generate_key()
    return settings.PERISAI_BACKUP_DIR


@pytest.fixture
def office_data(make_user):
    """A child's file as staff make it: a public report turned into a case, the victim's NIK added, a data
    subject's request with a photo attached. Everything through the services, audited and counted."""
    supervisor = make_user(Role.SUPERVISOR)
    case = open_case(
        make_user,
        manager=make_user(Role.CASE_MANAGER),
        child_name=DEMO_CHILD["subject_name"],
        narrative=DEMO_CHILD["details"],
        location_detail=DEMO_CHILD["subject_address"],
    )
    victim = case.victims.get()
    victim.nik = DEMO_CHILD["subject_nik"]
    victim.save()
    request = subject_request(supervisor)
    attachment_store(actor=supervisor, owner=request, uploaded_file=jpeg_with_gps("Siti Demo Rahayu.jpg"))
    # The recount the background worker would have run by now (no worker runs in tests). Left pending, the
    # restore's `stats_rebuild --check` would do it, and the stats tables would differ from the backup's.
    call_command("stats_rebuild", check=True, stdout=io.StringIO())
    return {"supervisor": supervisor}


# Written by the backup (after its copy) and by the restore (after its checks): not part of what comes back.
OPS_EVENTS = [AuditAction.BACKUP_CREATED, AuditAction.DATA_RESTORED]


def state() -> dict:
    """What must come back: rows per table, decrypted values, attachment bytes, the audit chain up to the backup
    (every event's hash, and the whole chain still verifying)."""
    media = Path(settings.MEDIA_ROOT)
    rows = databases.current_row_counts(databases.model_tables())
    rows[AuditEvent._meta.db_table] -= AuditEvent.objects.filter(action__in=OPS_EVENTS).count()
    trail = AuditEvent.objects.exclude(action__in=OPS_EVENTS).order_by("seq").values_list("hash", flat=True)
    chain = verify_chain()
    return {
        "rows": rows,
        "victims": list(Victim.objects.order_by("pk").values_list("name", "nik")),
        "reports": list(Report.objects.order_by("pk").values_list("child_name", "narrative", "location_detail")),
        "requests": list(SubjectRequest.objects.order_by("pk").values_list("subject_name", "subject_nik")),
        "attachments": [
            (item.original_name, hashlib.sha256(attachments.read_decrypted(item.storage_name)).hexdigest())
            for item in Attachment.objects.order_by("pk")
        ],
        "media": {str(path.relative_to(media)): path.read_bytes() for path in media.rglob("*") if path.is_file()},
        "audit": chain,
        "trail": (chain.ok, list(trail)),
    }


def differences(now: dict, then: dict) -> dict:
    """What differs, named: tables by their row counts, the rest by key (an empty dict when all came back)."""
    found = {
        table: (now["rows"].get(table), count)
        for table, count in then["rows"].items()
        if now["rows"].get(table) != count
    }
    found.update({key: "differs" for key in then if key not in {"rows", "audit"} and now[key] != then[key]})
    return found


def leftovers(backups) -> list[str]:
    """Anything besides archives and the lock, in the backup folder or beside the database file."""
    found = [path.name for path in backups.iterdir() if path.name.startswith(".perisai-") and "lock" not in path.name]
    if connection.vendor == "sqlite":
        database = Path(connection.settings_dict["NAME"])
        found += [path.name for path in database.parent.glob(f".{database.name}.restore-*")]
    return found


@pytest.mark.django_db(transaction=True)
def test_a_backup_wiped_and_restored_gives_back_the_same_data(office_data, backups):
    before = state()
    assert before["victims"] == [(DEMO_CHILD["subject_name"], DEMO_CHILD["subject_nik"])]
    assert len(before["attachments"]) == 1 and before["media"]
    assert before["audit"].ok and before["audit"].checked > 5

    archive = backup_create()
    assert AuditEvent.objects.order_by("-seq").first().action == AuditAction.BACKUP_CREATED
    raw = archive.read_bytes()
    # Staff names are stored in clear in the database: found in the archive, they would prove it unencrypted.
    for clear in [*SECRETS, office_data["supervisor"].full_name]:
        assert clear.encode() not in raw

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    wiped = state()
    assert wiped["victims"] == [] and wiped["media"] == {} and wiped["audit"].checked == 0

    output = io.StringIO()
    call_command("restore", str(archive), "--yes", stdout=output)
    assert differences(state(), before) == {}
    # The restore says so at the head of the restored chain; the backup's own event came after its copy.
    last = AuditEvent.objects.order_by("-seq").first()
    assert last.action == AuditAction.DATA_RESTORED and last.object_id == archive.name and last.actor is None
    assert not AuditEvent.objects.filter(action=AuditAction.BACKUP_CREATED).exists()
    said = output.getvalue()
    assert said.count("[OK   ]") == 5 and "GAGAL" not in said and "TUNDA" not in said
    assert f"Jejak audit utuh: {before['audit'].checked} kejadian" in said
    assert before["audit"].head_hash in said
    assert "Tabulasi statistik sama dengan hitungan baru" in said
    assert "nilai terenkripsi dan 1 berkas lampiran dibuka" in said
    for secret in [*SECRETS, office_data["supervisor"].full_name, office_data["supervisor"].email]:
        assert secret not in said
    assert leftovers(backups) == []


@pytest.mark.django_db(transaction=True)
def test_what_came_after_the_backup_is_gone_after_the_restore(office_data, make_user, backups):
    """The restore puts back the moment of the backup, not more: a table made since is dropped too (on
    PostgreSQL the restore clears the schema first), and so is a report received since."""
    archive = backup_create()
    before = state()
    open_case(make_user, child_name="Anak Setelah Cadangan")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE ops_made_after_backup (id integer)")
    call_command("restore", str(archive), "--yes", stdout=io.StringIO())
    assert "ops_made_after_backup" not in connection.introspection.table_names()
    assert differences(state(), before) == {}


@pytest.mark.django_db(transaction=True)
def test_with_other_field_keys_the_restore_fails_its_check_and_can_be_run_again(office_data, backups, settings):
    """The archive opens with the backup key alone; whether the field keys still fit the data is what the sample
    proves. Wrong ones: the restore says so and exits non-zero; with the right ones it is simply run again."""
    archive = backup_create()
    before = state()
    right_keys = settings.FIELD_ENCRYPTION_KEYS
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    output = io.StringIO()
    with pytest.raises(CommandError, match=r"pemeriksaan gagal: .*Contoh data terenkripsi"):
        call_command("restore", str(archive), "--yes", stdout=output)
    said = output.getvalue()
    assert "[GAGAL] Contoh data terenkripsi" in said and "FIELD_ENCRYPTION_KEYS tidak cocok" in said
    assert "0 nilai terenkripsi dan 0 berkas lampiran dibuka" in said
    assert "[OK   ] Jumlah baris per tabel" in said

    settings.FIELD_ENCRYPTION_KEYS = right_keys
    call_command("restore", str(archive), "--yes", stdout=io.StringIO())
    assert differences(state(), before) == {}


@pytest.mark.django_db(transaction=True)
def test_the_restore_refuses_while_perisai_runs_and_changes_nothing(office_data, make_user, backups):
    archive = backup_create()
    at_backup = state()
    open_case(make_user, child_name="Anak Setelah Cadangan")
    ProcessHeartbeat.objects.create(ident="w-1", kind=ProcessHeartbeat.Kind.WORKER, host="app1", pid=4242)
    before = state()
    with pytest.raises(CommandError, match=r"masih berjalan: worker di app1 \(pid 4242\)"):
        call_command("restore", str(archive), "--yes", stdout=io.StringIO())
    assert differences(state(), before) == {}

    # A process gone for longer than a lease (killed, never cleaned up) does not hold the restore back.
    lease = dt.timedelta(seconds=settings.PERISAI_WORKER_LEASE_SECONDS + 1)
    ProcessHeartbeat.objects.update(seen_at=timezone.now() - lease)
    call_command("restore", str(archive), "--yes", stdout=io.StringIO())
    assert differences(state(), at_backup) == {}


@pytest.mark.django_db(transaction=True)
def test_the_restore_refuses_where_the_data_would_not_fit(office_data, backups, monkeypatch):
    archive = backup_create()
    before = state()
    # The media folder on another file system than the backups, full (as everywhere).
    monkeypatch.setattr(restore, "_moves_copy", lambda source, target: True)
    monkeypatch.setattr(restore, "_free_bytes", lambda folder: 0)
    with pytest.raises(CommandError, match="Ruang disk tidak cukup"):
        call_command("restore", str(archive), "--yes", stdout=io.StringIO())
    assert differences(state(), before) == {}


@pytest.mark.django_db(transaction=True)
def test_a_damaged_database_copy_leaves_the_current_data_as_it_was(office_data, make_user, backups, tmp_path):
    """Checksums right, database copy cut in half (as a disk error could make it before the backup sealed it):
    the restore fails, and on PostgreSQL the transaction it ran in takes everything back."""
    archive = backup_create()
    members = read_members(archive)
    manifest = manifest_of(members)
    name = manifest["database"]["file"]
    damaged = dict(members)[name][: len(dict(members)[name]) // 2]
    for entry in manifest["files"]:
        if entry["path"] == name:
            entry.update(size=len(damaged), sha256=hashlib.sha256(damaged).hexdigest())
    forged = tmp_path / "damaged.tar.enc"
    write_members(forged, [(n, damaged if n == name else data) for n, data in with_manifest(members, manifest)])
    open_case(make_user, child_name="Anak Setelah Cadangan")
    before = state()

    expected = "pg_restore gagal" if connection.vendor == "postgresql" else "Salinan basis data dalam arsip"
    with pytest.raises(CommandError, match=expected):
        call_command("restore", str(forged), "--yes", stdout=io.StringIO())
    assert differences(state(), before) == {}
    assert leftovers(backups) == []


@pytest.mark.django_db(transaction=True)
def test_an_archive_older_than_the_code_is_restored_then_migrated(make_user, backups):
    """An archive from before an upgrade: restored as it is, the checks that need the current schema wait,
    and `migrate` brings it up to date (docs/operations.md)."""
    make_user(Role.SUPERVISOR)
    try:
        call_command("migrate", "api", "zero", verbosity=0)
        archive = backup_create()
        call_command("migrate", verbosity=0)

        output = io.StringIO()
        call_command("restore", str(archive), "--yes", stdout=output)
        said = output.getvalue()
        assert "api_apitoken" not in connection.introspection.table_names()
        assert pending_migrations() == ["api.0001_initial"]
        assert said.count("[TUNDA]") == 2 and "1 migrasi belum dijalankan" in said and "GAGAL" not in said
        assert "[OK   ] Jumlah baris per tabel" in said
    finally:
        call_command("migrate", verbosity=0)  # the next tests need the whole schema
    assert pending_migrations() == []
    audit = io.StringIO()
    call_command("audit_verify", stdout=audit)
    assert "Jejak audit utuh" in audit.getvalue()
