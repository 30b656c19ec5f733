"""Dates on the pages, checked under a frozen clock on the days that used to break tests.

The suite once passed only in months whose short names are the same in English and Indonesian (it failed from
1 December on "Dec" vs "Des"). These checks run the formatting helpers and the pages that show dates on fixed
moments: months that differ (Mei/May, Agu/Aug, Okt/Oct, Des/Dec), the minutes around midnight in Jakarta (WIB,
UTC+7, when the server's UTC date is still the day before) and 31 December. Expectations are written out by
hand, so a wrong time zone or language cannot agree with itself. They live in the portal's tests because they
walk pages of several apps.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.cases import services as case_services
from perisai.core.testing import shown_date
from perisai.reports import services as report_services
from perisai.stats.periods import MONTHS, MONTHS_SHORT

pytestmark = pytest.mark.django_db

WIB = dt.timezone(dt.timedelta(hours=7))
DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=WIB)


# moment in WIB -> what the pages must show for it (registration number's month/year, date strings)
MOMENTS = {
    "may": (at("2026-05-15T10:00"), "/V/2026", "15 Mei 2026 10:00", "15 Mei 2026 10:00", "20 Mei 2026"),
    "august": (at("2026-08-14T10:00"), "/VIII/2026", "14 Agu 2026 10:00", "14 Agustus 2026 10:00", "19 Agu 2026"),
    "october": (at("2026-10-16T10:00"), "/X/2026", "16 Okt 2026 10:00", "16 Oktober 2026 10:00", "21 Okt 2026"),
    "december": (at("2026-12-02T10:00"), "/XII/2026", "02 Des 2026 10:00", "2 Desember 2026 10:00", "07 Des 2026"),
    # 23:50 on 31 December and 00:20 on 1 January WIB: both are still 31 December in UTC.
    "year_end": (at("2026-12-31T23:50"), "/XII/2026", "31 Des 2026 23:50", "31 Desember 2026 23:50", "05 Jan 2027"),
    "new_year": (at("2027-01-01T00:20"), "/I/2027", "01 Jan 2027 00:20", "1 Januari 2027 00:20", "06 Jan 2027"),
    # Saturday 00:30 WIB is Friday 17:30 UTC: three working days count from Saturday, so Wednesday.
    "saturday_night": (at("2026-05-16T00:30"), "/V/2026", "16 Mei 2026 00:30", "16 Mei 2026 00:30", "20 Mei 2026"),
}


@pytest.mark.parametrize("month", range(1, 13))
def test_shown_dates_use_the_indonesian_month_names_the_statistics_use(month):
    day = dt.date(2026, month, 1)
    assert shown_date(day, "M") == MONTHS_SHORT[month - 1]
    assert shown_date(day, "F") == MONTHS[month - 1]


def test_the_month_names_that_differ_from_english_are_indonesian():
    shown = [shown_date(dt.date(2026, month, 1), "M") for month in (5, 8, 10, 12)]
    assert shown == ["Mei", "Agu", "Okt", "Des"]
    assert [shown_date(dt.date(2026, month, 1), "M", language="en") for month in (5, 8, 10, 12)] == [
        "May",
        "Aug",
        "Oct",
        "Dec",
    ]


@pytest.mark.parametrize("offset", range(7))
def test_weekday_names_are_indonesian(offset):
    day = dt.date(2026, 11, 30) + dt.timedelta(days=offset)  # a Monday
    assert shown_date(day, "l") == DAYS[offset]


def test_shown_date_shows_an_aware_datetime_in_jakarta_time():
    assert shown_date(dt.datetime(2026, 12, 31, 17, 20, tzinfo=dt.UTC), "d M Y H:i") == "01 Jan 2027 00:20"


@pytest.mark.parametrize("name", MOMENTS)
def test_pages_show_the_moment_in_jakarta_and_in_indonesian(name, make_user, settings):
    moment, number_part, short, long, verification = MOMENTS[name]
    settings.PERISAI_FIRST_CONTACT_HOURS = 6
    settings.PERISAI_VERIFICATION_WORKING_DAYS = 3
    # Working days Monday to Friday without holidays, whatever the machine's .env says (the expectations count so).
    settings.PERISAI_OFFICE_DAYS, settings.PERISAI_HOLIDAYS = [1, 2, 3, 4, 5], []
    with time_machine.travel(moment, tick=False):
        submission = report_services.report_submit(
            actor=None,
            fields={
                "urgent": False,
                "harms": ["touched"],
                "narrative": "Cerita uji.",
                "reporter_anonymous": True,
                "child_name": "Anak Uji",
                "child_age": 9,
                "child_sex": "p",
            },
            token=str(uuid.uuid4()),
        )
        report = submission.report
        public = Client()
        status = public.post(
            reverse("reports_public:check"), {"code": report.tracking_code, "pin": submission.pin}, follow=True
        )
        # The status page's steps: "15 Mei 2026, 10.00 WIB" (reports/public/_progress.html).
        day, clock = long.rsplit(" ", 1)
        assert f"{day}, {clock.replace(':', '.')} WIB" in status.content.decode()

        staff = Client()
        staff.force_login(make_user(Role.INTAKE_OFFICER, Role.SUPERVISOR))
        detail = staff.get(reverse("reports:detail", args=[report.public_id])).content.decode()
        assert short in detail
        assert f"paling lambat {verification}" in detail

        case = case_services.case_open_from_report(
            actor=make_user(Role.INTAKE_OFFICER), report=report, risk="tinggi", authority="kota"
        )
        assert case.registration_number.endswith(number_part)
        page = staff.get(reverse("cases:detail", args=[case.public_id])).content.decode()
        assert f"{short} oleh" in page

        # The dashboard opens on the current year in Jakarta, not the server's UTC year.
        dashboard = staff.get(reverse("stats:dashboard")).content.decode()
        assert f'<p class="lead">Januari–Desember {moment.year} ·' in dashboard
