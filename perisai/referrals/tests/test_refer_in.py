import pytest
from django.test import Client
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.reports.choices import Channel
from perisai.reports.models import Report
from perisai.reports.tests.helpers import form_data

pytestmark = pytest.mark.django_db


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
