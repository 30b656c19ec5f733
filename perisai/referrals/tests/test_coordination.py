import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.cases.tests.factories import open_case
from perisai.core.models import Notification
from perisai.referrals import services
from perisai.regions.selectors import kecamatan_of_city
from perisai.reports.choices import Channel
from perisai.reports.models import Report
from perisai.reports.tests.helpers import form_data

pytestmark = pytest.mark.django_db


class OutreachTests:
    def test_each_child_becomes_a_report_with_one_action_and_the_operation_shows_what_happened(
        self, make_user, police_agency
    ):
        officer = make_user(Role.INTAKE_OFFICER)
        operation = services.outreach_record(
            actor=officer,
            held_on=dt.date(2026, 11, 20),
            kecamatan=kecamatan_of_city().first(),
            location="Simpang Tiga PCI",
            agencies=[police_agency],
        )
        child = services.outreach_child_add(
            actor=officer, operation=operation, name="Budi", estimated_age=10, sex="l", situation="begging"
        )
        report = services.outreach_child_to_report(actor=officer, child=child)
        assert services.outreach_child_to_report(actor=officer, child=child) == report  # once only
        assert report.channel == Channel.OUTREACH and report.child_name == "Budi"
        assert report.violence_types == ["eksploitasi"]
        supervisor = make_user(Role.SUPERVISOR)
        case = services_open(supervisor, report)
        url = reverse("referrals:operation_detail", args=[operation.public_id])
        client = Client()
        client.force_login(supervisor)
        page = client.get(url).content.decode()
        assert report.tracking_code in page and case.registration_number in page
        # The intake officer does not open case files: they see the report and its status, not the case.
        client.force_login(officer)
        page = client.get(url).content.decode()
        assert report.tracking_code in page and "Ditangani sebagai kasus" in page
        assert case.registration_number not in page


def services_open(actor, report):
    from perisai.cases import services as case_services

    return case_services.case_open_from_report(actor=actor, report=report, risk="sedang", authority="kota")


class MeetingTests:
    def test_cases_are_named_by_registration_number_and_unknown_numbers_are_refused(self, make_user, police_agency):
        supervisor = make_user(Role.SUPERVISOR)
        case = open_case(make_user, manager=make_user(Role.CASE_MANAGER))
        client = Client()
        client.force_login(supervisor)
        data = {
            "held_on": "2026-11-25",
            "title": "Rakor lintas sektor",
            "agencies": [police_agency.pk],
            "case_numbers": f"{case.registration_number}\n999/UPTD-PPA/XI/2026",
            "notes": "Dibahas tindak lanjut.",
        }
        response = client.post(reverse("referrals:meeting_create"), data)
        assert response.status_code == 400
        body = response.content.decode()
        assert "999/UPTD-PPA/XI/2026" in body and "Rakor lintas sektor" in body  # nothing typed is lost
        data["case_numbers"] = case.registration_number
        response = client.post(reverse("referrals:meeting_create"), data)
        assert response.status_code == 302

    def test_overdue_action_items_are_reminded_once(self, make_user, police_agency):
        supervisor, police = make_user(Role.SUPERVISOR), make_user(Role.PARTNER_STAFF)
        meeting = services.meeting_record(
            actor=supervisor, held_on=dt.date(2026, 11, 1), title="Rakor", agencies=[police_agency]
        )
        services.meeting_item_add(
            actor=supervisor,
            meeting=meeting,
            agency=police_agency,
            description="Periksa saksi",
            due_on=dt.date(2026, 11, 5),
        )
        now = dt.datetime(2026, 11, 10, 8, tzinfo=dt.UTC)
        assert services.meeting_items_notify_overdue(now) == 1
        assert services.meeting_items_notify_overdue(now) == 0
        assert Notification.objects.filter(user=police, message__contains="melewati").exists()


class ReferToOfficeTests:
    def test_a_partner_hands_a_child_over_and_it_lands_in_the_inbox_with_channel_and_agency(
        self, make_user, police_agency
    ):
        police = make_user(Role.PARTNER_STAFF)
        client = Client()
        client.force_login(police)
        page = client.get(reverse("referrals:refer_in"))
        assert page.status_code == 200
        data = form_data(channel=Channel.POLICE, received_at="2026-11-27T10:00", urgent="no")
        response = client.post(reverse("referrals:refer_in"), data)
        assert response.status_code == 200, response.content.decode()[:2000]
        report = Report.objects.get()
        assert report.source_agency == police_agency and report.channel == Channel.POLICE
        assert report.tracking_code in response.content.decode()
        intake = Client()
        intake.force_login(make_user(Role.INTAKE_OFFICER))
        assert report.tracking_code in intake.get(reverse("reports:inbox")).content.decode()
        assert client.get(reverse("reports:inbox")).status_code == 404  # the partner does not read the inbox
