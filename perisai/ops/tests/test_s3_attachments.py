"""Attachments in an S3-compatible bucket (several app servers sharing it), against a local S3 server (moto).

The bucket must only ever see ciphertext under random names: what a report sends is cleaned and encrypted before
it leaves the process. Downloads, deletion, key rotation and backup and restore work on it as on the local disk.
"""

import hashlib
import io
import logging
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import boto3
import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from moto.server import ThreadedMotoServer
from PIL import Image

from perisai.accounts.choices import Role
from perisai.core import attachments, crypto
from perisai.core.models import Attachment
from perisai.core.rotation import rotate_attachment_files
from perisai.core.selectors import attachments_of
from perisai.core.services import attachment_store, attachments_delete, attachments_prune
from perisai.core.tests.uploads import GPS_IFD, jpeg_with_gps, pdf
from perisai.ops.archive import generate_key
from perisai.ops.backup import backup_create
from perisai.ops.tests.helpers import read_members
from perisai.privacy.tests.factories import subject_request
from perisai.reports.models import Report
from perisai.reports.tests.helpers import form_data

ROOT = Path(__file__).resolve().parents[3]
PREFIX = "perisai"  # PERISAI_ATTACHMENTS_S3_PREFIX: the bucket may hold other things beside Perisai's
REGION = "us-east-1"
ACCESS_KEY, SECRET_KEY = "perisai-test", "perisai-test-secret"
STORED_KEY = re.compile(rf"^{PREFIX}/attachments/([0-9a-f]{{2}})/(\1[0-9a-f]{{30}})$")


@pytest.fixture(scope="module")
def s3_endpoint():
    """A local S3 server on a free loopback port, for this module's tests."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


class Bucket:
    def __init__(self, endpoint: str, name: str):
        self.endpoint, self.name = endpoint, name
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def keys(self) -> list[str]:
        return sorted(item["Key"] for item in self.client.list_objects_v2(Bucket=self.name).get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def contents(self) -> dict[str, bytes]:
        return {key: self.read(key) for key in self.keys()}

    def wipe(self) -> None:
        for key in self.keys():
            self.client.delete_object(Bucket=self.name, Key=key)

    def environment(self) -> dict[str, str]:
        """What an app server's environment says to use this bucket (.env.example)."""
        return {
            "PERISAI_ATTACHMENTS_S3_BUCKET": self.name,
            "PERISAI_ATTACHMENTS_S3_ENDPOINT_URL": self.endpoint,
            "PERISAI_ATTACHMENTS_S3_REGION": REGION,
            "PERISAI_ATTACHMENTS_S3_ACCESS_KEY_ID": ACCESS_KEY,
            "PERISAI_ATTACHMENTS_S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "PERISAI_ATTACHMENTS_S3_PREFIX": PREFIX,
        }


@pytest.fixture
def bucket(s3_endpoint, settings):
    """A fresh private bucket, and the attachments storage pointed at it (setting STORAGES resets the storages)."""
    bucket = Bucket(s3_endpoint, f"perisai-{uuid.uuid4().hex[:12]}")
    bucket.client.create_bucket(Bucket=bucket.name)
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket.name,
                "endpoint_url": s3_endpoint,
                "region_name": REGION,
                "access_key": ACCESS_KEY,
                "secret_key": SECRET_KEY,
                "location": PREFIX,
                "default_acl": None,
                "file_overwrite": False,
                "object_parameters": {"ContentType": "application/octet-stream"},
            },
        },
    }
    return bucket


def nothing_on_disk() -> bool:
    media = Path(settings.MEDIA_ROOT)
    return not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def assert_ciphertext_only(data: bytes, *clear: bytes) -> None:
    assert data.startswith(b"gAAAAA")  # a Fernet token (version byte 0x80, base64)
    for marker in (b"\xff\xd8\xff", b"JFIF", b"Exif", b"%PDF", *clear):
        assert marker not in data


@pytest.mark.django_db
class AttachmentsInABucketTests:
    def test_a_reported_photo_reaches_the_bucket_only_as_ciphertext_and_staff_get_it_cleaned(
        self, bucket, client, make_user
    ):
        response = client.post("/lapor/", {**form_data(), "attachments": [jpeg_with_gps("Siti Rahayu rumah.jpg")]})
        assert response.status_code == 201
        stored = attachments_of(Report.objects.get()).get()
        [key] = bucket.keys()
        assert STORED_KEY.match(key)[2] == stored.storage_name  # random, says nothing of the file or the child
        ciphertext = bucket.read(key)
        assert_ciphertext_only(ciphertext, b"Siti", b"Demo Phone")
        head = bucket.client.head_object(Bucket=bucket.name, Key=key)
        assert head["ContentType"] == "application/octet-stream"
        assert nothing_on_disk()

        client.force_login(make_user(Role.INTAKE_OFFICER))
        download = client.get(reverse("core:attachment_download", args=[stored.public_id]))
        assert download.status_code == 200
        assert download.content == crypto.decrypt(ciphertext)
        image = Image.open(io.BytesIO(download.content))
        assert image.format == "JPEG" and image.size == (64, 48)
        assert not image.getexif().get_ifd(GPS_IFD)

    def test_deleting_the_attachments_removes_their_objects_once_committed(
        self, bucket, make_user, django_capture_on_commit_callbacks
    ):
        supervisor = make_user(Role.SUPERVISOR)
        request = subject_request(supervisor)
        attachment_store(actor=supervisor, owner=request, uploaded_file=pdf("surat.pdf"))
        attachment_store(actor=supervisor, owner=request, uploaded_file=jpeg_with_gps())
        assert len(bucket.keys()) == 2
        with django_capture_on_commit_callbacks(execute=True):
            assert attachments_delete(owner=request) == 2
            assert len(bucket.keys()) == 2  # not before the deletion commits
        assert bucket.keys() == []

    def test_orphans_are_pruned_and_attachments_kept(self, bucket, make_user):
        supervisor = make_user(Role.SUPERVISOR)
        kept = attachment_store(actor=supervisor, owner=subject_request(supervisor), uploaded_file=pdf())
        attachments.write_encrypted(b"left behind by a rolled-back transaction")
        assert attachments_prune() == 1
        assert [STORED_KEY.match(key)[2] for key in bucket.keys()] == [kept.storage_name]

    def test_key_rotation_re_encrypts_every_object_in_place(self, bucket, make_user, settings):
        supervisor = make_user(Role.SUPERVISOR)
        request = subject_request(supervisor)
        for upload in (pdf(), jpeg_with_gps()):
            attachment_store(actor=supervisor, owner=request, uploaded_file=upload)
        before = bucket.contents()
        clear = {key: crypto.decrypt(token) for key, token in before.items()}
        new_key = Fernet.generate_key().decode()
        settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]

        assert rotate_attachment_files() == 2
        after = bucket.contents()
        assert after.keys() == before.keys()  # same names: the rows still point at them
        for key, token in after.items():
            assert token != before[key]
            assert Fernet(new_key.encode()).decrypt(token) == clear[key]  # the new key alone opens it
        assert rotate_attachment_files() == 0
        for item in Attachment.objects.all():
            assert attachments.read_decrypted(item.storage_name)

    def test_another_app_server_sees_the_same_attachments(self, bucket, make_user):
        """A second process configured by its environment alone, as a second server behind nginx is."""
        supervisor = make_user(Role.SUPERVISOR)
        mine = attachment_store(actor=supervisor, owner=subject_request(supervisor), uploaded_file=pdf())
        code = (
            "import hashlib\n"
            "from perisai.core import attachments\n"
            f"print(hashlib.sha256(attachments.read_decrypted({mine.storage_name!r})).hexdigest())\n"
            "print(attachments.write_encrypted(b'dari server kedua'))\n"
        )
        environment = {
            **os.environ,
            **bucket.environment(),
            "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        digest, theirs = result.stdout.split()
        assert digest == hashlib.sha256(attachments.read_decrypted(mine.storage_name)).hexdigest()
        assert attachments.read_decrypted(theirs) == b"dari server kedua"
        # What the settings made of the environment: a private object, opaque to the bucket.
        key = f"{PREFIX}/{attachments.stored_path(theirs)}"
        assert bucket.client.head_object(Bucket=bucket.name, Key=key)["ContentType"] == "application/octet-stream"
        grants = bucket.client.get_object_acl(Bucket=bucket.name, Key=key)["Grants"]
        assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
        assert all("URI" not in grant["Grantee"] for grant in grants)  # no AllUsers, no AuthenticatedUsers
        assert nothing_on_disk()


@pytest.fixture
def backups(settings, tmp_path):
    settings.PERISAI_BACKUP_DIR = tmp_path / "backups"
    settings.PERISAI_BACKUP_KEY = generate_key()
    return settings.PERISAI_BACKUP_DIR


@pytest.mark.django_db(transaction=True)  # the backup reads the committed database from outside the test
def test_the_backup_holds_the_objects_and_the_restore_puts_them_back_into_the_bucket(bucket, backups, make_user):
    supervisor = make_user(Role.SUPERVISOR)
    request = subject_request(supervisor)
    stored = attachment_store(actor=supervisor, owner=request, uploaded_file=jpeg_with_gps("Siti.jpg"))
    call_command("stats_rebuild", check=True, stdout=io.StringIO())  # as the worker would have by now
    before = bucket.contents()
    [key] = before

    archive = backup_create()
    members = dict(read_members(archive))
    assert members[f"media/{attachments.stored_path(stored.storage_name)}"] == before[key]  # as stored: ciphertext
    assert nothing_on_disk()

    bucket.wipe()
    stray = f"{PREFIX}/attachments/ff/ff{'0' * 30}"
    bucket.client.put_object(Bucket=bucket.name, Key=stray, Body=b"made after the backup")
    output = io.StringIO()
    call_command("restore", str(archive), "--yes", stdout=output)
    said = output.getvalue()
    assert bucket.contents() == before  # the same objects, and nothing else
    assert "1 berkas lampiran dibuka" in said and "semua berkasnya ada" in said and "GAGAL" not in said
    assert attachments.read_decrypted(Attachment.objects.get().storage_name) == crypto.decrypt(before[key])
    assert nothing_on_disk()
