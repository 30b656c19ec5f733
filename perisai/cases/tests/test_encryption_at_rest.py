"""The promise behind UU PDP Pasal 35: a copy of the database or of the files reveals no child."""

import os
import subprocess

import pytest
from django.db import connection

from perisai.accounts.choices import Role
from perisai.cases.tests.factories import open_case
from perisai.core.services import attachment_store
from perisai.core.tests.uploads import jpeg_with_gps
from perisai.privacy.tests.factories import DEMO_CHILD, subject_request

SECRETS = [
    DEMO_CHILD["subject_name"],
    "Siti",
    DEMO_CHILD["subject_nik"],
    "Jalan Kenari Demo",
    "tetangga Demo",
    "Ibu Demo Rahayu",
]


def database_bytes() -> bytes:
    if connection.vendor == "sqlite":
        name = connection.settings_dict["NAME"]
        # WAL mode: recent pages may still be in the -wal file, so read both.
        return b"".join(open(path, "rb").read() for path in (name, f"{name}-wal") if os.path.exists(path))
    dump = subprocess.run(
        [
            "pg_dump",
            "--no-owner",
            "-h",
            connection.settings_dict["HOST"] or "127.0.0.1",
            "-p",
            str(connection.settings_dict["PORT"] or 5432),
            "-U",
            connection.settings_dict["USER"] or "postgres",
            connection.settings_dict["NAME"],
        ],
        capture_output=True,
        check=True,
        timeout=120,
    )
    return dump.stdout


@pytest.mark.django_db(transaction=True)
def test_a_childs_identity_is_nowhere_in_clear_in_the_database_or_the_media_folder(make_user, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    supervisor = make_user(Role.SUPERVISOR)
    item = subject_request(supervisor)
    attachment_store(actor=supervisor, owner=item, uploaded_file=jpeg_with_gps("Siti Demo Rahayu.jpg"))
    # The same child as a case file: report, case, victim and their history tables.
    case = open_case(
        make_user,
        manager=make_user(Role.CASE_MANAGER),
        child_name=DEMO_CHILD["subject_name"],
        narrative=DEMO_CHILD["details"],
        location_detail=DEMO_CHILD["subject_address"],
    )
    victim = case.victims.get()
    victim.nik, victim.address = DEMO_CHILD["subject_nik"], DEMO_CHILD["subject_address"]
    victim.save()
    assert case.history.count() and victim.history.count() >= 2
    connection.close()  # let SQLite write everything out

    raw = database_bytes()
    assert len(raw) > 10_000, "the dump should hold the whole database"
    assert b"privacy_subjectrequest" in raw  # the table is there...
    assert supervisor.full_name.encode() in raw  # staff names are not secret: proves clear text would be found
    for secret in SECRETS:
        assert secret.encode() not in raw, f"{secret!r} found in clear in the database"  # ...its secrets are not

    media = b"".join(path.read_bytes() for path in (tmp_path / "media").rglob("*") if path.is_file())
    assert media
    for secret in [*SECRETS, "Demo Phone"]:
        assert secret.encode() not in media
    assert not any("Siti" in path.name for path in (tmp_path / "media").rglob("*"))
