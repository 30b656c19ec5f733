"""Core's attachments (checking, cleaning, encrypting, downloading), exercised on a data-protection subject
request: the lowest app whose records take attachments (tests stand in the layer of what they use)."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from perisai.accounts.choices import Role
from perisai.accounts.testing import assert_access, matrix_users
from perisai.audit.choices import AuditAction
from perisai.core import attachments, crypto
from perisai.core.attachments import AttachmentRejected
from perisai.core.models import Attachment
from perisai.core.rotation import rotate_attachment_files
from perisai.core.services import attachment_store, attachments_prune
from perisai.core.tests.uploads import GPS_IFD, jpeg_with_gps, pdf
from perisai.privacy.tests.factories import subject_request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


class AttachmentCheckTests:
    def test_a_jpeg_loses_its_gps_position_and_camera_but_keeps_its_pixels(self, make_user):
        supervisor = make_user(Role.SUPERVISOR)
        original = jpeg_with_gps()
        assert Image.open(io.BytesIO(original.read())).getexif().get_ifd(GPS_IFD)
        original.seek(0)
        stored = attachment_store(actor=supervisor, owner=subject_request(supervisor), uploaded_file=original)
        data = attachments.read_decrypted(stored.storage_name)
        image = Image.open(io.BytesIO(data))
        assert not image.getexif().get_ifd(GPS_IFD)
        assert not image.getexif()
        assert b"Exif" not in data and b"Demo Phone" not in data
        assert image.size == (64, 48)
        assert stored.metadata_removed

    def test_an_oversized_file_is_refused_before_it_is_read(self, make_user, settings):
        settings.PERISAI_ATTACHMENT_MAX_MB = 1
        supervisor = make_user(Role.SUPERVISOR)
        big = SimpleUploadedFile("rekaman.mp3", b"\xff\xfb" + b"0" * (1024 * 1024 + 10))
        with pytest.raises(AttachmentRejected, match="terlalu besar"):
            attachment_store(actor=supervisor, owner=subject_request(supervisor), uploaded_file=big)
        assert not Attachment.objects.exists()

    def test_a_file_whose_bytes_do_not_match_its_name_is_refused(self, make_user):
        supervisor = make_user(Role.SUPERVISOR)
        disguised = pdf("foto.jpg")
        with pytest.raises(AttachmentRejected, match="tidak sesuai dengan namanya"):
            attachment_store(actor=supervisor, owner=subject_request(supervisor), uploaded_file=disguised)

    def test_a_program_or_web_page_is_refused_whatever_its_name(self, make_user):
        supervisor = make_user(Role.SUPERVISOR)
        for upload in (
            SimpleUploadedFile("foto.jpg", b"<html><script>alert(1)</script></html>"),
            SimpleUploadedFile("surat.pdf", b"MZ\x90\x00" + b"\x00" * 200),
        ):
            with pytest.raises(AttachmentRejected, match="tidak diterima"):
                attachment_store(actor=supervisor, owner=subject_request(supervisor), uploaded_file=upload)

    def test_a_corrupt_image_is_refused_with_a_clear_message(self, make_user):
        supervisor = make_user(Role.SUPERVISOR)
        broken = SimpleUploadedFile("foto.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100)
        with pytest.raises(AttachmentRejected, match="tidak dapat dibaca"):
            attachment_store(actor=supervisor, owner=subject_request(supervisor), uploaded_file=broken)

    def test_files_on_disk_are_encrypted_under_random_names(self, make_user, media):
        supervisor = make_user(Role.SUPERVISOR)
        stored = attachment_store(actor=supervisor, owner=subject_request(supervisor), uploaded_file=pdf("Siti.pdf"))
        files = [path for path in media.rglob("*") if path.is_file()]
        assert [path.name for path in files] == [stored.storage_name]
        assert files[0] == media / "attachments" / stored.storage_name[:2] / stored.storage_name
        assert b"%PDF" not in files[0].read_bytes()
        # Private to Perisai's user whatever the umask (Django's default for uploads would be 0644).
        assert files[0].stat().st_mode & 0o777 == 0o600
        assert files[0].parent.stat().st_mode & 0o777 == 0o700

    def test_orphaned_files_are_pruned(self, make_user, media):
        supervisor = make_user(Role.SUPERVISOR)
        kept = attachment_store(actor=supervisor, owner=subject_request(supervisor), uploaded_file=pdf())
        attachments.write_encrypted(b"left behind by a rolled-back transaction")
        assert attachments_prune() == 1
        assert list(attachments.iter_names()) == [kept.storage_name]

    def test_key_rotation_re_encrypts_files_in_place(self, make_user, media, settings):
        supervisor = make_user(Role.SUPERVISOR)
        stored = attachment_store(actor=supervisor, owner=subject_request(supervisor), uploaded_file=pdf())
        path = media / "attachments" / stored.storage_name[:2] / stored.storage_name
        before = path.read_bytes()
        new_key = Fernet.generate_key().decode()
        settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
        assert rotate_attachment_files() == 1
        assert rotate_attachment_files() == 0
        assert Fernet(new_key.encode()).decrypt(path.read_bytes()) == crypto.decrypt(before)
        assert path.stat().st_mode & 0o777 == 0o600
        assert [item.name for item in path.parent.iterdir()] == [stored.storage_name]  # no temporary file left


class AttachmentDownloadTests:
    def test_access_matrix_neutral_name_and_audit(self, make_user):
        users = matrix_users(make_user)
        supervisor = users[Role.SUPERVISOR]
        stored = attachment_store(
            actor=supervisor, owner=subject_request(supervisor), uploaded_file=pdf("Siti Demo visum.pdf")
        )
        url = reverse("core:attachment_download", args=[stored.public_id])
        assert_access(url, users=users, allowed={Role.SUPERVISOR}, audit_action=AuditAction.ATTACHMENT_VIEWED)

    def test_the_download_never_carries_the_uploaded_name(self, client, make_user):
        supervisor = make_user(Role.SUPERVISOR)
        stored = attachment_store(
            actor=supervisor, owner=subject_request(supervisor), uploaded_file=pdf("Siti Demo visum.pdf")
        )
        client.force_login(supervisor)
        response = client.get(reverse("core:attachment_download", args=[stored.public_id]))
        assert "Siti" not in response["Content-Disposition"]
        assert response["Content-Disposition"].startswith('attachment; filename="lampiran-')
        assert response.content.startswith(b"%PDF")
        assert "sandbox" in response["Content-Security-Policy"]

    def test_an_unknown_id_is_404(self, client, make_user):
        client.force_login(make_user(Role.SUPERVISOR))
        assert (
            client.get(reverse("core:attachment_download", args=["6d3c3e3e-0000-4000-8000-000000000000"])).status_code
            == 404
        )
