import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from perisai.core import attachments
from perisai.core.selectors import attachments_of
from perisai.core.tests.uploads import GPS_IFD, jpeg_with_gps, pdf
from perisai.reports.choices import ReportStatus
from perisai.reports.models import Report
from perisai.reports.tests.helpers import form_data

pytestmark = pytest.mark.django_db
URL = "/lapor/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class ReportFormPageTests:
    def test_the_form_is_light_and_carries_a_fresh_token(self, client):
        response = client.get(URL)
        body = response.content
        assert response.status_code == 200
        assert len(body) + len(open("static/css/perisai.css", "rb").read()) < 60_000
        assert b'name="token"' in body
        assert client.get(URL).content != body  # every page load gets its own token
        assert "perisai_perangkat" in response.cookies

    def test_emergency_numbers_are_on_the_form(self, client):
        body = client.get(URL).content.decode()
        for number in ("tel:110", "tel:112", "tel:129", "08111-129-129"):
            assert number in body


class SubmitTests:
    def test_a_neighbour_reports_anonymously_and_gets_a_code_and_pin(self, client):
        response = client.post(URL, form_data())
        assert response.status_code == 201
        report = Report.objects.get()
        body = response.content.decode()
        assert report.tracking_code in body
        assert response.context["pin"] in body and len(response.context["pin"]) == 6
        assert report.urgent and report.violence_types == ["seksual"]
        assert report.kelurahan.name == "Masigit" and report.kecamatan.name == "Jombang"
        assert report.reporter_anonymous and report.reporter_name == ""
        assert report.status == ReportStatus.NEW
        assert (report.first_contact_due_at - report.received_at).total_seconds() == 2 * 3600
        assert response.context["pin"] not in report.pin_hash

    def test_a_double_submit_makes_one_report_and_shows_the_same_pin(self, client):
        client.get(URL)  # the device cookie, as a browser has it
        data = form_data()
        first = client.post(URL, data)
        second = client.post(URL, data)
        assert Report.objects.count() == 1
        assert second.status_code == 200
        assert first.context["pin"] == second.context["pin"]
        assert first.context["report"].tracking_code == second.context["report"].tracking_code

    def test_back_and_send_again_with_a_new_token_finds_the_same_report(self, client):
        client.get(URL)  # the device cookie
        first = client.post(URL, form_data())
        again = client.post(URL, form_data())  # same answers, a fresh page's token
        assert Report.objects.count() == 1
        assert again.context["report"] == first.context["report"] and again.context["pin"] is None
        assert "tidak dicatat dua kali" in again.content.decode()
        different = client.post(URL, form_data(narrative="Kejadian lain di sekolah."))
        assert different.status_code == 201 and Report.objects.count() == 2

    def test_missing_what_and_where_are_explained_and_nothing_typed_is_lost(self, client):
        response = client.post(
            URL, form_data(harms=[], narrative="", kecamatan="", kelurahan="", location_detail="", child_name="Bunga")
        )
        body = response.content.decode()
        assert response.status_code == 400
        assert "Centang apa yang terjadi" in body
        assert "Pilih kecamatan, atau tuliskan alamat" in body
        assert 'value="Bunga"' in body
        assert not Report.objects.exists()

    def test_an_unknown_kelurahan_code_is_refused(self, client):
        response = client.post(URL, form_data(kelurahan="36.72.99.9999"))
        assert response.status_code == 400
        assert "Pilih pilihan yang valid" in response.content.decode() or "valid" in response.content.decode()
        assert not Report.objects.exists()

    def test_a_kelurahan_outside_the_chosen_kecamatan_is_refused(self, client):
        response = client.post(URL, form_data(kecamatan="36.72.08", kelurahan="36.72.05.1003"))
        assert "tidak berada di kecamatan" in response.content.decode()

    def test_a_named_reporter_must_leave_a_way_to_be_contacted(self, client):
        response = client.post(URL, form_data(reporter_anonymous="no", reporter_name="Pak Dedi"))
        assert "Tuliskan nomor telepon atau e-mail" in response.content.decode()
        response = client.post(
            URL, form_data(reporter_anonymous="no", reporter_name="Pak Dedi", reporter_phone="0812-3456-789x")
        )
        assert "Nomor telepon tidak dikenali" in response.content.decode()
        client.post(
            URL,
            form_data(
                reporter_anonymous="no",
                reporter_name="Pak Dedi",
                reporter_phone="0812 3456 7890",
                reporter_relation="teacher",
            ),
        )
        assert Report.objects.get().reporter_phone == "+6281234567890"

    def test_an_anonymous_report_keeps_no_contact_details_even_if_typed(self, client):
        client.post(URL, form_data(reporter_anonymous="yes", reporter_name="Sri", reporter_phone="081234567890"))
        report = Report.objects.get()
        assert (report.reporter_name, report.reporter_phone) == ("", "")

    @pytest.mark.parametrize(
        "payload", ["<script>alert('x')</script>", "'; DROP TABLE reports_report; --", "<img src=x onerror=alert(1)>"]
    )
    def test_script_and_sql_in_every_text_field_are_stored_as_text(self, client, payload, make_user):
        text_fields = [
            "narrative",
            "location_detail",
            "child_name",
            "child_school",
            "perpetrator_description",
            "reporter_name",
            "contact_preference",
        ]
        data = form_data(
            reporter_anonymous="no", reporter_phone="081234567890", **{name: payload for name in text_fields}
        )
        assert client.post(URL, data).status_code == 201
        report = Report.objects.get()
        assert all(getattr(report, name) == payload for name in text_fields)
        from perisai.accounts.choices import Role

        client.force_login(make_user(Role.INTAKE_OFFICER))
        page = client.get(reverse("reports:detail", args=[report.public_id])).content.decode()
        assert payload not in page  # escaped, never executed
        assert "&lt;" in page or "&#x27;" in page


class AttachmentOnSubmitTests:
    def test_a_photo_loses_its_gps_tag(self, client):
        client.post(URL, {**form_data(), "attachments": [jpeg_with_gps()]})
        stored = attachments_of(Report.objects.get()).get()
        image = Image.open(io.BytesIO(attachments.read_decrypted(stored.storage_name)))
        assert not image.getexif().get_ifd(GPS_IFD)

    def test_an_oversized_file_does_not_cost_the_report(self, client, settings):
        settings.PERISAI_ATTACHMENT_MAX_MB = 1
        big = SimpleUploadedFile("rekaman.mp3", b"\xff\xfb" + b"0" * (1024 * 1024 + 10))
        response = client.post(URL, {**form_data(), "attachments": [big, pdf()]})
        assert response.status_code == 201
        assert "terlalu besar" in response.content.decode()
        assert attachments_of(Report.objects.get()).count() == 1

    def test_a_file_whose_bytes_do_not_match_its_name_is_refused_but_the_report_kept(self, client):
        response = client.post(URL, {**form_data(), "attachments": [pdf("foto.jpg")]})
        assert "tidak sesuai dengan namanya" in response.content.decode()
        assert Report.objects.count() == 1 and not attachments_of(Report.objects.get()).exists()

    def test_files_sent_again_with_the_same_form_join_the_report_once(self, client):
        client.get(URL)  # the device cookie: only the sending browser may add files by resending
        data = form_data()
        client.post(URL, data)
        client.post(URL, {**data, "attachments": [pdf()]})
        client.post(URL, {**data, "attachments": [pdf()]})
        assert attachments_of(Report.objects.get()).count() == 1


class AbuseResistanceTests:
    def test_a_report_without_proof_of_work_is_accepted_and_marked_for_review(self, client):
        assert client.post(URL, form_data()).status_code == 201
        report = Report.objects.get()
        assert report.needs_review and "proof_of_work" in report.review_reasons

    def test_a_filled_honeypot_is_accepted_and_marked(self, client):
        client.post(URL, form_data(website="http://spam.example"))
        assert "honeypot" in Report.objects.get().review_reasons

    def test_a_valid_proof_of_work_is_not_flagged(self, client):
        import altcha

        from perisai.reports import altcha_check

        challenge = altcha.v2.Challenge.from_dict(altcha_check.new_challenge())
        payload = altcha.Payload(challenge=challenge, solution=altcha.solve_challenge(challenge)).to_base64()
        client.post(URL, form_data(altcha=payload))
        assert not Report.objects.get().needs_review

    def test_many_reports_from_one_device_are_flagged_then_a_flood_is_refused_kindly(self, client, settings):
        settings.PERISAI_REPORTS_SOFT_LIMIT = 2
        settings.PERISAI_REPORTS_HARD_LIMIT = 4
        client.get(URL)  # gets the device cookie
        statuses = [client.post(URL, form_data(narrative=f"Laporan ke-{n}")).status_code for n in range(5)]
        assert statuses == [201, 201, 201, 201, 429]
        assert [r.needs_review for r in Report.objects.order_by("received_at")][-1]
        refused = client.post(URL, form_data(child_name="Melati"))
        assert "SAPA 129" in refused.content.decode() and 'value="Melati"' in refused.content.decode()
