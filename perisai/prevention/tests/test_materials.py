"""The files of a prevention activity (issue 17 item 6, "materials"): uploaded by whoever may change the activity,
checked and stored encrypted like every attachment, downloaded by whoever may see it, audited both ways."""

import datetime as dt
import itertools
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.accounts.testing import OTHER_PARTNER, assert_access
from perisai.audit.choices import AuditAction
from perisai.audit.models import AuditEvent
from perisai.core import attachments
from perisai.core import services as core_services
from perisai.core.models import Attachment
from perisai.core.selectors import attachments_of
from perisai.core.tests.uploads import jpeg_with_gps, pdf, real_pdf
from perisai.prevention import selectors, services
from perisai.prevention.models import PreventionActivity
from perisai.prevention.tests.conftest import activity_post
from perisai.prevention.tests.test_access import FIELD, OFFICE_READERS

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")
# The activity fixture was held on 20 November 2026; its files are kept two years (PERISAI_PREVENTION_FILES_YEARS).
SOON_AFTER = dt.datetime(2026, 12, 1, 9, 0, tzinfo=JAKARTA)
LAST_DAY = dt.datetime(2028, 11, 20, 23, 0, tzinfo=JAKARTA)
DAY_AFTER = dt.datetime(2028, 11, 21, 2, 0, tzinfo=JAKARTA)  # the retention job's hour


@pytest.fixture(autouse=True)
def soon_after_the_activity(settings):
    """The files' retention runs from the activity's date: the tests are not at the mercy of today's."""
    settings.PERISAI_PREVENTION_FILES_YEARS = 2
    with time_machine.travel(SOON_AFTER, tick=True) as clock:
        yield clock


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_who_may_upload_and_who_may_download(users, activity):
    upload = reverse("prevention:material_add", args=[activity.public_id])
    pages = itertools.count(1)
    # The police ran it: the office's field staff and the police upload; nobody else (404).
    assert_access(
        upload,
        users=users,
        allowed=FIELD | {Role.PARTNER_STAFF},
        method="post",
        # A different file each time: the same file twice is stored once (and audited once).
        data=lambda: {
            "personal": "ya",
            "file": SimpleUploadedFile("materi.pdf", real_pdf(pages=next(pages)), "application/pdf"),
        },
        ok_status=(302,),
        audit_action=AuditAction.ATTACHMENT_STORED,
    )
    material = attachments_of(activity).first()
    download = reverse("core:attachment_download", args=[material.public_id])
    assert_access(download, users=users, allowed=OFFICE_READERS | {Role.PARTNER_STAFF}, audit_action=None)


def test_the_file_is_listed_and_downloads_as_sent(users, activity):
    client = signed_in(users[Role.SUPERVISOR])
    page = reverse("prevention:activity", args=[activity.public_id])
    assert "Belum ada berkas materi." in client.get(page).content.decode()

    response = client.post(
        reverse("prevention:material_add", args=[activity.public_id]),
        {"personal": "ya", "file": pdf("Materi Stop Kekerasan.pdf")},
    )
    assert response.status_code == 302
    body = client.get(page).content.decode()
    material = Attachment.objects.get()
    # Listed under a neutral name, as every attachment: a file's own name may name a child.
    assert "Materi disimpan." in body and material.download_name in body and "Stop Kekerasan" not in body
    downloaded = client.get(reverse("core:attachment_download", args=[material.public_id]))
    assert downloaded.status_code == 200 and downloaded.content.startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action=AuditAction.ATTACHMENT_VIEWED, object_id=str(material.public_id)).exists()


def test_a_file_that_is_not_allowed_is_refused_next_to_the_field(users, activity):
    client = signed_in(users[Role.CASE_MANAGER])
    bad = SimpleUploadedFile("jadwal.exe", b"MZ\x90\x00not a document", content_type="application/octet-stream")
    response = client.post(
        reverse("prevention:material_add", args=[activity.public_id]), {"personal": "ya", "file": bad}
    )
    assert response.status_code == 400
    assert 'id="id_file_errors"' in response.content.decode()
    assert not Attachment.objects.exists()


def test_nothing_chosen_is_asked_for(users, activity):
    client = signed_in(users[Role.CASE_MANAGER])
    response = client.post(reverse("prevention:material_add", args=[activity.public_id]), {})
    page = response.content.decode()
    assert response.status_code == 400 and 'id="id_file_errors"' in page and 'id="id_personal_errors"' in page
    assert "Pilih apakah berkas ini menyebut nama atau memperlihatkan orang." in page


def test_a_photo_cannot_be_kept_as_material_without_personal_data(users, activity):
    client = signed_in(users[Role.CASE_MANAGER])
    upload = reverse("prevention:material_add", args=[activity.public_id])
    response = client.post(upload, {"personal": "tidak", "file": jpeg_with_gps("poster.jpg")})
    page = response.content.decode()
    assert response.status_code == 400 and 'id="id_personal_errors"' in page
    assert "Foto dan rekaman suara selalu dianggap memperlihatkan atau menyebut orang" in page
    [chosen] = re.findall(r'<input[^>]*value="tidak"[^>]*>', page)
    assert "checked" in chosen  # the choice made comes back
    assert not Attachment.objects.exists()
    # Not the form's rule only: the service itself keeps no photo past its retention, whoever calls it.
    with pytest.raises(ValueError, match="only a PDF"):
        core_services.attachment_store(
            actor=users[Role.CASE_MANAGER], owner=activity, uploaded_file=jpeg_with_gps("poster.jpg"), personal=False
        )
    assert not Attachment.objects.exists()


def test_the_page_asks_for_no_children_s_faces(users, activity):
    body = signed_in(users[Role.CASE_MANAGER]).get(reverse("prevention:activity", args=[activity.public_id]))
    asked = "Jangan unggah foto yang memperlihatkan wajah anak, atau daftar hadir dengan nama anak."
    assert asked in body.content.decode()
    analyst = signed_in(users[Role.ANALYST]).get(reverse("prevention:activity", args=[activity.public_id]))
    assert "Unggah materi" not in analyst.content.decode()  # may read, may not add


def test_a_file_uploaded_by_mistake_is_removed_by_whoever_may_change_the_activity(
    users, activity, django_capture_on_commit_callbacks
):
    signed_in(users[Role.SUPERVISOR]).post(
        reverse("prevention:material_add", args=[activity.public_id]), {"personal": "ya", "file": pdf("foto.pdf")}
    )
    material = Attachment.objects.get()
    remove = reverse("prevention:material_remove", args=[activity.public_id, material.public_id])
    assert signed_in(users[Role.ANALYST]).post(remove).status_code == 404  # may read, may not remove
    assert signed_in(users[OTHER_PARTNER]).post(remove).status_code == 404
    assert Attachment.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(users[Role.PARTNER_STAFF]).post(remove, follow=True)  # the police ran it
    assert f"Berkas {material.download_name} dihapus." in response.content.decode()
    assert not Attachment.objects.exists()
    assert not attachments._storage().exists(attachments.stored_path(material.storage_name))  # the encrypted file too
    assert AuditEvent.objects.filter(action=AuditAction.ATTACHMENT_REMOVED, object_id=str(material.public_id)).exists()
    assert signed_in(users[Role.PARTNER_STAFF]).post(remove).status_code == 404  # gone


class RetentionTests:
    """Attendance lists and photos name or show people: kept two years after the activity, then deleted (UU PDP
    27/2022 Pasal 16); the activity and its figures stay."""

    def upload(self, users, activity):
        client = signed_in(users[Role.SUPERVISOR])
        client.post(
            reverse("prevention:material_add", args=[activity.public_id]),
            {"personal": "ya", "file": pdf("daftar-hadir.pdf")},
        )
        return Attachment.objects.get()

    def test_the_page_says_how_long_the_files_are_kept(self, users, activity):
        page = signed_in(users[Role.CASE_MANAGER]).get(reverse("prevention:activity", args=[activity.public_id]))
        assert "disimpan sampai 20 November 2028, lalu dihapus otomatis" in page.content.decode()

    def test_files_go_the_night_after_their_last_day_and_the_activity_stays(
        self, users, activity, soon_after_the_activity, django_capture_on_commit_callbacks
    ):
        material = self.upload(users, activity)
        soon_after_the_activity.move_to(LAST_DAY)
        assert services.materials_expire() == 0
        soon_after_the_activity.move_to(DAY_AFTER)
        with django_capture_on_commit_callbacks(execute=True):
            assert services.materials_expire() == 1
        assert not Attachment.objects.exists()
        assert not attachments._storage().exists(attachments.stored_path(material.storage_name))
        removed = AuditEvent.objects.get(action=AuditAction.ATTACHMENT_REMOVED)
        assert removed.actor is None and removed.object_id == str(material.public_id)
        assert PreventionActivity.objects.filter(pk=activity.pk, participants=80).exists()
        assert services.materials_expire() == 0  # nothing twice

    def test_past_its_retention_an_activity_takes_no_more_files(self, users, activity, soon_after_the_activity):
        soon_after_the_activity.move_to(DAY_AFTER)
        client = signed_in(users[Role.SUPERVISOR])
        page = client.get(reverse("prevention:activity", args=[activity.public_id])).content.decode()
        assert "Masa simpan berkas kegiatan ini sudah lewat" in page and "Unggah materi" not in page
        sent = client.post(
            reverse("prevention:material_add", args=[activity.public_id]),
            {"personal": "ya", "file": pdf("foto.pdf")},
            follow=True,
        )
        assert "masa simpan berkas kegiatan ini sudah lewat" in sent.content.decode()
        assert not Attachment.objects.exists()

    def test_material_naming_and_showing_nobody_is_kept_and_said_to_be(
        self, users, activity, soon_after_the_activity, django_capture_on_commit_callbacks
    ):
        client = signed_in(users[Role.SUPERVISOR])
        upload = reverse("prevention:material_add", args=[activity.public_id])
        client.post(upload, {"personal": "tidak", "file": SimpleUploadedFile("slide.pdf", real_pdf(pages=2))})
        client.post(upload, {"personal": "ya", "file": pdf("daftar-hadir.pdf")})
        slides, attendance = Attachment.objects.order_by("pk")
        assert (slides.personal, attendance.personal) == (False, True)
        stored = AuditEvent.objects.filter(action=AuditAction.ATTACHMENT_STORED).order_by("pk")
        assert [event.extra.get("personal") for event in stored] == [False, None]
        page = client.get(reverse("prevention:activity", args=[activity.public_id])).content.decode()
        assert page.count("materi tanpa data pribadi, tetap disimpan") == 1

        soon_after_the_activity.move_to(DAY_AFTER)
        with django_capture_on_commit_callbacks(execute=True):
            assert services.materials_expire() == 1
        assert list(Attachment.objects.all()) == [slides]
        assert attachments._storage().exists(attachments.stored_path(slides.storage_name))
        assert not attachments._storage().exists(attachments.stored_path(attendance.storage_name))
        assert services.materials_expire() == 0

    def test_zero_years_keeps_them(self, users, activity, soon_after_the_activity, settings):
        self.upload(users, activity)
        settings.PERISAI_PREVENTION_FILES_YEARS = 0
        soon_after_the_activity.move_to(DAY_AFTER + dt.timedelta(days=3650))
        assert services.materials_expire() == 0 and Attachment.objects.count() == 1
        page = signed_in(users[Role.CASE_MANAGER]).get(reverse("prevention:activity", args=[activity.public_id]))
        assert "lalu dihapus otomatis" not in page.content.decode()

    def test_a_date_moved_back_past_the_retention_is_refused_while_files_are_kept(self, users, activity, kelurahan):
        self.upload(users, activity)
        client = signed_in(users[Role.SUPERVISOR])
        edit = reverse("prevention:activity_edit", args=[activity.public_id])
        mistyped = activity_post(kelurahan, held_on="2016-11-20", organiser=str(activity.organiser_id))
        response = client.post(edit, mistyped)
        assert response.status_code == 400 and "masa simpan berkas kegiatan sudah lewat" in response.content.decode()
        activity.refresh_from_db()
        assert activity.held_on == dt.date(2026, 11, 20) and Attachment.objects.count() == 1

    def test_kept_slides_do_not_stand_in_the_way_of_a_changed_date(self, users, activity, kelurahan):
        client = signed_in(users[Role.SUPERVISOR])
        slides = SimpleUploadedFile("slide.pdf", real_pdf(pages=2))
        client.post(
            reverse("prevention:material_add", args=[activity.public_id]), {"personal": "tidak", "file": slides}
        )
        edit = reverse("prevention:activity_edit", args=[activity.public_id])
        older = activity_post(kelurahan, held_on="2016-11-20", organiser=str(activity.organiser_id))
        assert client.post(edit, older).status_code == 302
        activity.refresh_from_db()
        assert activity.held_on == dt.date(2016, 11, 20) and Attachment.objects.count() == 1

    def test_the_same_file_sent_again_as_naming_someone_becomes_personal(self, users, activity):
        """A list of names uploaded as slides by mistake, sent again with "Ya": deleted on time after all. The other
        way round it stays personal: a file only ever moves towards being deleted."""
        client = signed_in(users[Role.SUPERVISOR])
        upload = reverse("prevention:material_add", args=[activity.public_id])
        data = real_pdf(pages=4)
        client.post(upload, {"personal": "tidak", "file": SimpleUploadedFile("daftar.pdf", data)})
        client.post(upload, {"personal": "ya", "file": SimpleUploadedFile("daftar.pdf", data)})
        client.post(upload, {"personal": "tidak", "file": SimpleUploadedFile("daftar.pdf", data)})
        material = Attachment.objects.get()
        assert material.personal
        marked = AuditEvent.objects.filter(action=AuditAction.ATTACHMENT_STORED).order_by("pk")
        assert [(event.extra.get("personal"), event.extra.get("again")) for event in marked] == [
            (False, None),
            (True, True),
        ]
        assert marked[1].actor == users[Role.SUPERVISOR]

    def test_a_changed_date_is_on_record(self, users, activity, kelurahan):
        client = signed_in(users[Role.SUPERVISOR])
        edit = reverse("prevention:activity_edit", args=[activity.public_id])
        moved = activity_post(kelurahan, held_on="2026-11-21", organiser=str(activity.organiser_id))
        assert client.post(edit, moved).status_code == 302
        changed = AuditEvent.objects.filter(action=AuditAction.PREVENTION_RECORDED).order_by("pk").last()
        assert changed.extra["held_on"] == ["2026-11-20", "2026-11-21"]

    @pytest.mark.parametrize(
        ("day", "years", "expected"),
        [
            (dt.date(2028, 2, 29), 2, dt.date(2030, 2, 28)),
            (dt.date(2028, 2, 29), -4, dt.date(2024, 2, 29)),
            (dt.date(2026, 11, 20), -2, dt.date(2024, 11, 20)),
        ],
    )
    def test_years_are_counted_on_the_calendar(self, day, years, expected):
        assert selectors.shift_years(day, years) == expected
