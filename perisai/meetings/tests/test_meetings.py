import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.cases.tests.factories import open_case
from perisai.core.models import Notification
from perisai.meetings import services
from perisai.meetings.contributions import digest_lines

pytestmark = pytest.mark.django_db

SECRET_NAME = "Melati Kusumawardani"  # a child's name a staff member might type into a meeting's text


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
        response = client.post(reverse("meetings:create"), data)
        assert response.status_code == 400
        body = response.content.decode()
        assert "999/UPTD-PPA/XI/2026" in body and "Rakor lintas sektor" in body  # nothing typed is lost
        data["case_numbers"] = case.registration_number
        response = client.post(reverse("meetings:create"), data)
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

    def test_meeting_text_typed_by_staff_stays_out_of_notices_and_e_mail(self, make_user, police_agency):
        supervisor, police = make_user(Role.SUPERVISOR), make_user(Role.PARTNER_STAFF)
        meeting = services.meeting_record(
            actor=supervisor,
            held_on=dt.date(2026, 11, 1),
            title=f"Rakor kasus {SECRET_NAME}",
            agencies=[police_agency],
        )
        services.meeting_item_add(
            actor=supervisor,
            meeting=meeting,
            agency=police_agency,
            description=f"Periksa saksi untuk {SECRET_NAME}",
            due_on=dt.date(2026, 11, 5),
        )
        now = dt.datetime(2026, 11, 10, 8, tzinfo=dt.UTC)
        assert services.meeting_items_notify_overdue(now) == 1
        assert not Notification.objects.filter(message__contains=SECRET_NAME).exists()
        assert digest_lines(police, now)
        assert not any(SECRET_NAME in line for line in digest_lines(police, now))
