import datetime as dt
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from perisai.accounts.choices import Role
from perisai.accounts.testing import assert_access, matrix_users
from perisai.audit.choices import AuditAction
from perisai.reports import services
from perisai.reports.choices import Channel, ReportStatus
from perisai.reports.models import Report, ReportMessage
from perisai.reports.tests.helpers import form_data, open_report, submitted

pytestmark = pytest.mark.django_db
INTAKE = {Role.INTAKE_OFFICER, Role.SUPERVISOR}


def _yesterday() -> str:
    """A report received a day ago, as the intake form's field writes it (local time)."""
    return (timezone.localtime() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class CheckPageTests:
    def test_code_and_pin_show_the_status_in_plain_words_and_nothing_sensitive(self, client):
        submission = submitted(child_name="Melati")
        response = open_report(client, submission)
        assert response["Location"] == reverse("reports_public:status")
        page = client.get(reverse("reports_public:status")).content.decode()
        assert "Laporan Anda sudah diterima." in page
        assert "Melati" not in page and "ayah tirinya" not in page

    def test_the_code_may_be_typed_loosely(self, client):
        submission = submitted()
        loose = submission.report.tracking_code.lower().replace("-", " ")
        response = client.post(reverse("reports_public:check"), {"code": loose, "pin": submission.pin})
        assert response.status_code == 302

    def test_a_wrong_pin_gets_one_generic_message_then_the_code_locks(self, client, settings):
        submission = submitted()
        messages = set()
        for _ in range(settings.PERISAI_PIN_MAX_ATTEMPTS - 1):
            response = client.post(
                reverse("reports_public:check"), {"code": submission.report.tracking_code, "pin": "000000"}
            )
            messages.add("Kode atau PIN tidak cocok" in response.content.decode())
        assert messages == {True}
        response = client.post(reverse("reports_public:check"), {"code": submission.report.tracking_code, "pin": "1"})
        assert "Terlalu banyak percobaan untuk kode ini" in response.content.decode()
        # Even the right PIN waits now; and the failures are in the audit trail.
        response = Client().post(
            reverse("reports_public:check"), {"code": submission.report.tracking_code, "pin": submission.pin}
        )
        assert "Terlalu banyak percobaan" in response.content.decode()
        assert AuditEvent_count(AuditAction.REPORT_PIN_FAILED) == settings.PERISAI_PIN_MAX_ATTEMPTS

    def test_an_unknown_code_locks_the_same_way_so_codes_cannot_be_probed(self, client, settings):
        for _ in range(settings.PERISAI_PIN_MAX_ATTEMPTS):
            response = client.post(reverse("reports_public:check"), {"code": "LPR-2222-3333", "pin": "123456"})
        assert "Terlalu banyak percobaan untuk kode ini" in response.content.decode()

    def test_the_reporter_and_the_office_exchange_messages(self, client, make_user):
        submission = submitted()
        officer = make_user(Role.INTAKE_OFFICER)
        services.report_message_from_staff(actor=officer, report=submission.report, body="Apakah anak masih di rumah?")
        open_report(client, submission)
        page = client.get(reverse("reports_public:status")).content.decode()
        assert "Apakah anak masih di rumah?" in page and officer.full_name not in page
        client.post(reverse("reports_public:status"), {"body": "Ya, masih di rumah."})
        assert [m.body for m in ReportMessage.objects.filter(sender="reporter")] == ["Ya, masih di rumah."]

    def test_without_code_and_pin_the_status_page_sends_you_to_the_check_form(self, client):
        assert client.get(reverse("reports_public:status"))["Location"] == reverse("reports_public:check")


def AuditEvent_count(action):
    from perisai.audit.models import AuditEvent

    return AuditEvent.objects.filter(action=action).count()


class StaffAccessTests:
    def test_inbox_and_intake_form(self, make_user):
        users = matrix_users(make_user)
        assert_access(reverse("reports:inbox"), users=users, allowed=INTAKE)
        assert_access(reverse("reports:intake"), users=users, allowed=INTAKE)

    def test_opening_a_report_is_audited(self, make_user):
        users = matrix_users(make_user)
        report = submitted().report
        assert_access(
            reverse("reports:detail", args=[report.public_id]),
            users=users,
            allowed=INTAKE,
            audit_action=AuditAction.RECORD_VIEWED,
        )

    def test_posting_first_contact_and_messages(self, make_user):
        users = matrix_users(make_user)
        report = submitted().report
        for name in ("reports:first_contact", "reports:send_message"):
            assert_access(
                reverse(name, args=[report.public_id]), users=users, allowed=INTAKE, method="post", ok_status={400}
            )


class InboxTests:
    def test_urgent_first_then_oldest_with_deadlines_and_overdue_marked(self, client, make_user):
        import datetime as dt

        from django.utils import timezone

        calm = submitted(urgent="no").report
        Report.objects.filter(pk=calm.pk).update(
            received_at=timezone.now() - dt.timedelta(hours=10),
            first_contact_due_at=timezone.now() - dt.timedelta(hours=4),
        )
        urgent = submitted().report
        client.force_login(make_user(Role.INTAKE_OFFICER))
        response = client.get(reverse("reports:inbox"))
        assert [r.pk for r in response.context["reports"]] == [urgent.pk, calm.pk]
        assert 'class="overdue"' in response.content.decode()

    def test_a_busy_day_is_paged_and_a_duplicate_on_another_page_is_still_hinted(self, client, make_user):
        from perisai.regions import selectors as regions
        from perisai.reports.selectors import INBOX_PER_PAGE

        kecamatan = regions.kecamatan_of_city().first()
        kelurahan = regions.kelurahan_of(kecamatan.code).first()
        first = submitted(urgent="yes").report  # urgent: first on page 1
        for _ in range(INBOX_PER_PAGE - 1):
            submitted(urgent="no", harms=["work"])
        last = submitted(urgent="no").report  # the oldest waits longest, but it came last: page 2
        Report.objects.filter(pk__in=[first.pk, last.pk]).update(kecamatan=kecamatan, kelurahan=kelurahan)
        client.force_login(make_user(Role.INTAKE_OFFICER))
        one = client.get(reverse("reports:inbox"))
        two = client.get(reverse("reports:inbox"), {"halaman": "2"})
        assert len(one.context["reports"]) == INBOX_PER_PAGE and one.context["reports"][0] == first
        assert [report.pk for report in two.context["reports"]] == [last.pk]
        assert "Halaman 2 dari 2" in two.content.decode()
        assert [other.pk for other in two.context["reports"][0].similar] == [first.pk]

    def test_the_neighbours_fetched_are_those_that_could_match(self, make_user):
        from perisai.regions import selectors as regions
        from perisai.reports import selectors

        here, elsewhere = list(regions.kecamatan_of_city()[:2])
        duplicate = submitted(urgent="no").report
        crowd = [submitted(urgent="no").report for _ in range(4)]  # a busy week in another kecamatan, newer
        page_report = submitted(urgent="no").report
        Report.objects.filter(pk__in=[duplicate.pk, page_report.pk]).update(kecamatan=here, child_name_index="")
        Report.objects.filter(pk__in=[r.pk for r in crowd]).update(kecamatan=elsewhere, child_name_index="")
        page_report.refresh_from_db()
        with mock.patch.object(selectors, "INBOX_NEIGHBOURS", 3):  # fewer than the crowd
            found = selectors.report_inbox_neighbours(actor=make_user(Role.INTAKE_OFFICER), page=[page_report])
        assert {report.pk for report in found} == {duplicate.pk, page_report.pk}

    def test_opening_a_new_report_tells_the_reporter_it_is_being_checked(self, client, make_user):
        report = submitted().report
        client.force_login(make_user(Role.INTAKE_OFFICER))
        client.get(reverse("reports:detail", args=[report.public_id]))
        report.refresh_from_db()
        assert report.status == ReportStatus.IN_REVIEW

    def test_first_contact_is_recorded_once(self, client, make_user):
        report = submitted().report
        officer = make_user(Role.INTAKE_OFFICER)
        client.force_login(officer)
        client.post(reverse("reports:first_contact", args=[report.public_id]), {"note": "Ditelepon, aman."})
        report.refresh_from_db()
        assert report.first_contact_by == officer and report.first_contact_note == "Ditelepon, aman."
        response = client.get(reverse("reports:detail", args=[report.public_id]))
        assert not response.context["can_record_first_contact"]


class StaffIntakeTests:
    def test_an_officer_records_a_sapa_129_handover_through_the_same_rules(self, client, make_user):
        officer = make_user(Role.INTAKE_OFFICER)
        client.force_login(officer)
        client.get(reverse("reports:intake"))
        response = client.post(
            reverse("reports:intake"),
            {**form_data(urgent="no"), "channel": Channel.SAPA129, "received_at": _yesterday()},
        )
        report = Report.objects.get()
        assert response["Location"] == reverse("reports:detail", args=[report.public_id])
        assert report.channel == Channel.SAPA129 and report.recorded_by == officer
        assert not report.needs_review

    def test_the_same_form_sent_twice_says_so_and_shows_no_empty_pin(self, client, make_user):
        client.force_login(make_user(Role.INTAKE_OFFICER))
        data = {**form_data(urgent="no"), "channel": Channel.PHONE, "received_at": _yesterday()}
        first = client.post(reverse("reports:intake"), data, follow=True).content.decode()
        again = client.post(reverse("reports:intake"), data, follow=True).content.decode()
        assert "PIN untuk pelapor" in first
        assert "sudah tercatat sebelumnya" in again and "None" not in again
        assert Report.objects.count() == 1

    def test_the_intake_form_refuses_the_web_channel_and_keeps_the_input(self, client, make_user):
        client.force_login(make_user(Role.INTAKE_OFFICER))
        response = client.post(
            reverse("reports:intake"),
            {**form_data(child_name="Bunga"), "channel": "web", "received_at": _yesterday()},
        )
        assert response.status_code == 400 and 'value="Bunga"' in response.content.decode()
