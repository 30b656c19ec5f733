"""What the receipt promises: only what the office can keep at the hour the report was sent. The staff's own
deadlines (the service standard) do not change. 7 December 2026 is a Monday; every time here is Jakarta's."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from perisai.reports import deadlines
from perisai.reports.models import Report
from perisai.reports.tests.helpers import form_data

pytestmark = pytest.mark.django_db
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=WIB)


@pytest.fixture(autouse=True)
def office(settings):
    settings.PERISAI_OFFICE_HOURS = "07:30-16:00"
    settings.PERISAI_OFFICE_DAYS = [1, 2, 3, 4, 5]
    settings.PERISAI_HOLIDAYS = []
    settings.PERISAI_FIRST_CONTACT_HOURS = 6
    settings.PERISAI_FIRST_CONTACT_HOURS_URGENT = 2


class PublicPromiseTests:
    @pytest.mark.parametrize(
        ("sent", "urgent", "check_by", "next_morning", "day"),
        [
            (at(7, 9, 0), False, at(7, 15, 0), False, "today"),  # within hours, the standard's six hours
            (at(7, 10, 0), False, at(7, 16, 0), False, "today"),  # due exactly at closing is still kept
            (at(7, 14, 0), False, at(8, 7, 30), True, "tomorrow"),  # 20:00 is after closing: tomorrow morning
            (at(7, 22, 30), False, at(8, 7, 30), True, "tomorrow"),  # the report: not "by 04:30"
            (at(8, 5, 0), False, at(8, 7, 30), True, "today"),  # before opening: this morning
            (at(11, 22, 30), False, at(14, 7, 30), True, "later"),  # Friday night: Monday morning
            (at(12, 10, 0), False, at(14, 7, 30), True, "later"),  # Saturday morning
            (at(7, 13, 0), True, at(7, 15, 0), False, "today"),  # urgent within hours: two hours
            (at(7, 23, 0), True, at(8, 7, 30), True, "tomorrow"),  # urgent at night: told to call 110/112/129
        ],
    )
    def test_the_promise_follows_the_office_hours(self, sent, urgent, check_by, next_morning, day):
        promise = deadlines.public_promise(sent, urgent=urgent)
        assert (promise.check_by, promise.next_morning, promise.day) == (check_by, next_morning, day)

    def test_days_off_are_skipped(self, settings):
        settings.PERISAI_HOLIDAYS = ["2026-12-08", "2026-12-09"]
        promise = deadlines.public_promise(at(7, 22, 30), urgent=False)
        assert promise.check_by == at(10, 7, 30) and promise.day == "later"

    def test_a_utc_time_is_read_as_jakarta_time(self):
        # Saturday 00:30 WIB is Friday 17:30 UTC: still the weekend for the office.
        sent = dt.datetime(2026, 12, 11, 17, 30, tzinfo=dt.UTC)
        assert deadlines.public_promise(sent, urgent=False).check_by == at(14, 7, 30)

    def test_the_staff_deadline_stays_the_service_standard(self):
        assert deadlines.first_contact_due(at(7, 22, 30), urgent=False) == at(8, 4, 30)


def send(client: Client, **overrides):
    response = client.post(reverse("reports_public:form"), form_data(**overrides))
    assert response.status_code == 201
    return response.content.decode(), Report.objects.get()


class ReceiptTests:
    def test_a_report_at_half_past_ten_at_night_is_promised_the_next_working_morning(self, client):
        with time_machine.travel(at(7, 22, 30), tick=False):
            page, report = send(client, urgent="no")
        assert "Kantor UPTD PPA sedang tutup." in page
        assert "besok pagi, Selasa, 8 Desember 2026, sejak kantor buka pukul 07.30 WIB" in page
        assert "04.30" not in page and "04:30" not in page
        assert report.first_contact_due_at == at(8, 4, 30)  # the office's own deadline is unchanged

    def test_within_hours_the_promise_is_the_deadline_of_the_day(self, client):
        with time_machine.travel(at(7, 9, 0), tick=False):
            page, _report = send(client, urgent="no")
        assert 'hari ini, <span class="promise-time">paling lambat pukul 15.00 WIB</span>' in page
        assert "sedang tutup" not in page

    def test_an_urgent_report_at_night_is_told_to_call_now_and_what_the_office_can_do(self, client):
        with time_machine.travel(at(11, 23, 0), tick=False):
            page, _report = send(client, urgent="yes")
        for number in ('href="tel:110"', 'href="tel:112"', 'href="tel:129"'):
            assert number in page
        assert "hubungi 110, 112 atau SAPA 129 sekarang juga" in page
        assert "kantor sedang tutup: kami tidak dapat menjanjikan jawaban sebelum kantor buka" in page
        assert "pada pagi hari kerja berikutnya, Senin, 14 Desember 2026, sejak kantor buka pukul 07.30 WIB" in page
        assert page.count("Anak dalam bahaya sekarang?") == 1  # the footer does not repeat the numbers

    def test_an_urgent_report_within_hours_is_checked_within_two_hours(self, client):
        with time_machine.travel(at(7, 13, 0), tick=False):
            page, _report = send(client, urgent="yes")
        assert "Petugas UPTD PPA sudah diberi tahu sekarang." in page
        assert "paling lambat pukul 15.00 WIB" in page
