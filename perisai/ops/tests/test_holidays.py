"""The office's holidays, kept by administrators (issue 17 item 4: the promise after sending states what is true at
that hour): pasted as a list, shown by year, removed one by one, audited, and used at once by the promise and the
working-day deadlines. 7 December 2026 is a Monday."""

import datetime as dt
import zoneinfo
from unittest import mock

import pytest
import time_machine
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from perisai.accounts.choices import Role
from perisai.accounts.testing import assert_access, matrix_users
from perisai.audit.choices import AuditAction
from perisai.audit.models import AuditEvent
from perisai.core import holidays, services
from perisai.core.models import Holiday
from perisai.ops.forms import MAX_LINES, HolidaysForm
from perisai.reports import deadlines

pytestmark = pytest.mark.django_db
URL = reverse("ops:holidays")
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=WIB)


@pytest.fixture
def admin(make_user):
    client = Client()
    client.force_login(make_user(Role.ADMINISTRATOR))
    return client


@pytest.fixture(autouse=True)
def office(settings):
    settings.PERISAI_OFFICE_HOURS = "07:30-16:00"
    settings.PERISAI_OFFICE_DAYS = [1, 2, 3, 4, 5]
    settings.PERISAI_HOLIDAYS = []
    settings.PERISAI_VERIFICATION_WORKING_DAYS = 3


def parsed(text: str):
    """The form's answer, in Indonesian whatever language an earlier test in this process left active."""
    with translation.override("id"):
        form = HolidaysForm({"days": text})
        return form.cleaned_data["days"] if form.is_valid() else [str(error) for error in form.errors["days"]]


class FormTests:
    def test_iso_and_indonesian_dates_with_or_without_a_separator(self):
        text = "2027-01-01 Tahun Baru Masehi\n\n17/08/2027 - Hari Kemerdekaan\n25-12-2027: Natal\n1.5.2027\tHari Buruh"
        assert parsed(text) == [
            (dt.date(2027, 1, 1), "Tahun Baru Masehi"),
            (dt.date(2027, 5, 1), "Hari Buruh"),
            (dt.date(2027, 8, 17), "Hari Kemerdekaan"),
            (dt.date(2027, 12, 25), "Natal"),
        ]

    def test_each_bad_line_is_named_with_what_is_wrong(self):
        errors = parsed("2027-01-01 Tahun Baru\n31/02/2027 Tidak ada\n2027-03-10\nNyepi 2027-03-10\n1999-01-01 Lama")
        assert errors == [
            "Baris 2: tanggal 31/02/2027 tidak ada.",
            "Baris 3: tuliskan keterangan setelah tanggal.",
            "Baris 4: awali dengan tanggal, misalnya 2027-01-01.",
            "Baris 5: periksa tahunnya.",
        ]

    def test_a_range_is_every_day_in_it(self):
        assert parsed("2027-03-29 s.d. 2027-04-02 Cuti bersama Idulfitri\n10/03/2027 - 11/03/2027: Nyepi") == [
            (dt.date(2027, 3, 10), "Nyepi"),
            (dt.date(2027, 3, 11), "Nyepi"),
            *[(dt.date(2027, 3, 29) + dt.timedelta(days=n), "Cuti bersama Idulfitri") for n in range(5)],
        ]
        assert parsed("2027-04-02 sampai 2027-03-29 Terbalik\n2027-01-01 s.d. 2027-03-01 Terlalu panjang") == [
            "Baris 1: periksa rentang tanggalnya (paling lama 31 hari).",
            "Baris 2: periksa rentang tanggalnya (paling lama 31 hari).",
        ]

    def test_a_typo_in_the_date_is_not_saved_as_part_of_the_name(self):
        assert parsed("2027-01-011 Tahun Baru\n2027-03-10 2027-03-12 Cuti") == [
            "Baris 1: awali dengan tanggal, misalnya 2027-01-01.",
            "Baris 2: satu tanggal per baris, atau rentang seperti 2027-03-29 s.d. 2027-04-02.",
        ]

    @pytest.mark.parametrize(
        "line",
        [
            "2027-03-29 s/d 2027-04-02 Cuti bersama",
            "2027-03-29 sampai dengan 2027-04-02 Cuti bersama",
            "2027-03-29 — 2027-04-02 Cuti bersama",
            "2027-03-29\xa0s.d.\xa02027-04-02\xa0Cuti bersama",  # copied from a PDF: non-breaking spaces
        ],
    )
    def test_ranges_as_they_are_written(self, line):
        assert [day for day, _name in parsed(line)] == [dt.date(2027, 3, 29) + dt.timedelta(days=n) for n in range(5)]
        assert {name for _day, name in parsed(line)} == {"Cuti bersama"}

    def test_a_date_left_in_the_name_is_refused_not_saved(self):
        assert parsed("2027-01-01 dan 2027-01-02 Libur\n2027-03-29 (Senin) s.d. 2027-04-02 (Jumat) Cuti") == [
            "Baris 1: satu tanggal per baris, atau rentang seperti 2027-03-29 s.d. 2027-04-02.",
            "Baris 2: satu tanggal per baris, atau rentang seperti 2027-03-29 s.d. 2027-04-02.",
        ]
        assert parsed("2027-01-01 Tahun Baru 2027") == [(dt.date(2027, 1, 1), "Tahun Baru 2027")]

    def test_a_very_long_line_is_refused_quickly(self):
        assert parsed("2027-01-01 a" + " " * 5000 + "b") == ["Baris 1: terlalu panjang."]

    def test_a_month_is_never_read_first(self):
        assert parsed("03/10/2027 Hari ketiga Oktober")[0][0] == dt.date(2027, 10, 3)

    def test_too_many_lines_or_none_are_refused(self):
        many = "\n".join(f"2027-01-{(n % 28) + 1:02d} Libur" for n in range(MAX_LINES + 1))
        assert parsed(many) == [f"Paling banyak {MAX_LINES} baris sekaligus."]
        assert parsed("\n  \n") == ["Tuliskan paling sedikit satu tanggal."]


class PageTests:
    def test_only_administrators_open_it_or_change_it(self, make_user):
        users = matrix_users(make_user)
        assert_access(URL, users=users, allowed=[Role.ADMINISTRATOR])
        remove = reverse("ops:holiday_remove")
        Holiday.objects.create(date=dt.date(2027, 1, 1), name="Tahun Baru")
        for role, user in users.items():
            if role == Role.ADMINISTRATOR or user is None:
                continue
            client = Client()
            client.force_login(user)
            assert client.post(URL, {"days": "2027-02-02 Bukan"}).status_code == 404
            assert client.post(remove, {"date": "2027-01-01"}).status_code == 404
        assert list(Holiday.objects.values_list("name", flat=True)) == ["Tahun Baru"]

    def test_pasted_days_are_saved_shown_by_year_and_audited(self, admin):
        response = admin.post(URL, {"days": "2027-01-01 Tahun Baru Masehi\n2026-12-25 Natal"}, follow=True)
        body = response.content.decode()
        assert "2 hari libur disimpan." in body
        assert "Tahun Baru Masehi" in body and "Natal" in body
        assert body.index("2027:") < body.index("2026:")  # the newest year first
        actions = AuditEvent.objects.filter(action=AuditAction.HOLIDAY_ADDED).values_list("object_id", flat=True)
        assert sorted(actions) == ["2026-12-25", "2027-01-01"]

    def test_a_mistake_comes_back_with_the_text_kept(self, admin):
        response = admin.post(URL, {"days": "2027-01-01 Tahun Baru\n2027-02-30 Salah"})
        assert response.status_code == 400
        body = response.content.decode()
        assert "Baris 2: tanggal 2027-02-30 tidak ada." in body
        assert "2027-01-01 Tahun Baru\n2027-02-30 Salah" in body  # in the textarea, nothing lost
        assert not Holiday.objects.exists()

    def test_a_date_entered_again_takes_the_new_name(self):
        services.holidays_add(actor=None, days=[(dt.date(2027, 3, 10), "Nyepi")])
        changed = services.holidays_add(
            actor=None, days=[(dt.date(2027, 3, 10), "Hari Suci Nyepi"), (dt.date(2027, 3, 11), "Cuti bersama")]
        )
        assert len(changed) == 2
        assert dict(Holiday.objects.values_list("date", "name")) == {
            dt.date(2027, 3, 10): "Hari Suci Nyepi",
            dt.date(2027, 3, 11): "Cuti bersama",
        }
        assert services.holidays_add(actor=None, days=[(dt.date(2027, 3, 11), "Cuti bersama")]) == []

    def test_a_day_is_removed(self, admin):
        Holiday.objects.create(date=dt.date(2027, 1, 1), name="Tahun Baru")
        body = admin.post(reverse("ops:holiday_remove"), {"date": "2027-01-01"}, follow=True).content.decode()
        assert "Hari libur 2027-01-01 dihapus." in body and not Holiday.objects.exists()
        assert AuditEvent.objects.filter(action=AuditAction.HOLIDAY_REMOVED, object_id="2027-01-01").exists()

    def test_a_year_without_holidays_is_asked_for(self, admin):
        with time_machine.travel(at(7, 10), tick=False):  # December: next year's SKB is out
            body = admin.get(URL).content.decode()
        assert "Belum ada hari libur untuk tahun 2026." in body and "Belum ada hari libur untuk tahun 2027." in body
        Holiday.objects.create(date=dt.date(2027, 1, 1), name="Tahun Baru")
        Holiday.objects.create(date=dt.date(2026, 12, 25), name="Natal")
        with time_machine.travel(at(7, 10), tick=False):
            assert "Belum ada hari libur" not in admin.get(URL).content.decode()
        with time_machine.travel(dt.datetime(2027, 3, 1, 10, tzinfo=WIB), tick=False):  # March: only this year
            body = admin.get(URL).content.decode()
        assert "tahun 2028" not in body and "Belum ada hari libur untuk tahun 2027." not in body


class DeadlineTests:
    def test_the_promise_skips_a_holiday_entered_here_at_once(self):
        assert deadlines.public_promise(at(7, 22, 30), urgent=False).check_by == at(8, 7, 30)  # cached: no holiday
        services.holidays_add(actor=None, days=[(dt.date(2026, 12, 8), "Cuti bersama")])
        assert deadlines.public_promise(at(7, 22, 30), urgent=False).check_by == at(9, 7, 30)
        services.holiday_remove(actor=None, day=dt.date(2026, 12, 8))
        assert deadlines.public_promise(at(7, 22, 30), urgent=False).check_by == at(8, 7, 30)

    def test_the_verification_deadline_counts_working_days_only(self):
        # Monday + 3 working days = Thursday; with Tuesday off, Friday.
        assert deadlines.verification_due(at(7, 10)).date() == dt.date(2026, 12, 10)
        services.holidays_add(actor=None, days=[(dt.date(2026, 12, 8), "Cuti bersama")])
        assert deadlines.verification_due(at(7, 10)).date() == dt.date(2026, 12, 11)

    def test_holidays_from_the_environment_still_count(self, settings):
        settings.PERISAI_HOLIDAYS = ["2026-12-08"]
        services.holidays_add(actor=None, days=[(dt.date(2026, 12, 9), "Cuti bersama")])
        assert holidays.office_holidays() == {"2026-12-08", "2026-12-09"}

    def test_the_receipt_s_promise_needs_no_database_when_it_has_just_failed(self, monkeypatch):
        """A committed report keeps its receipt through an outage (reports.public_views): the holidays last read, or
        the environment's, are used rather than failing the page."""
        services.holidays_add(actor=None, days=[(dt.date(2026, 12, 8), "Cuti bersama")])
        assert holidays.office_holidays() == {"2026-12-08"}
        broken = mock.Mock(side_effect=OperationalError("server closed the connection unexpectedly"))
        later = holidays.monotonic() + holidays.CACHE_SECONDS + 1
        monkeypatch.setattr(holidays, "monotonic", lambda: later)
        with mock.patch.object(Holiday.objects, "values_list", broken):
            assert deadlines.public_promise(at(7, 22, 30), urgent=False).check_by == at(9, 7, 30)
            holidays.forget()  # a change made meanwhile: the table is tried again, and the last set serves
            assert holidays.office_holidays() == {"2026-12-08"}
            holidays.forget_all()
            assert holidays.office_holidays() == frozenset()  # nothing read yet in this process: none
        assert broken.called

    def test_a_calendar_without_working_days_cannot_hang_a_deadline(self, settings):
        settings.PERISAI_OFFICE_DAYS = [6]  # Saturdays only
        services.holidays_add(
            actor=None, days=[(dt.date(2026, 12, 12) + dt.timedelta(weeks=n), "Tutup") for n in range(60)]
        )
        assert deadlines.verification_due(at(7, 10)) > at(7, 10)  # returns, bounded

    def test_another_process_s_change_is_seen_within_the_cache_time(self, monkeypatch):
        assert holidays.office_holidays() == frozenset()
        Holiday.objects.create(date=dt.date(2026, 12, 8), name="Dari proses lain")  # not through this process
        assert holidays.office_holidays() == frozenset()  # still cached here
        later = holidays.monotonic() + holidays.CACHE_SECONDS + 1
        monkeypatch.setattr(holidays, "monotonic", lambda: later)
        assert holidays.office_holidays() == {"2026-12-08"}
