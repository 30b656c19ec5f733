"""The public tables' shape: quarters only when no quarter is small, nothing below kecamatan level."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from perisai.accounts.choices import Role
from perisai.stats import public
from perisai.stats.tests.test_counting import open_case


def cases_in(officer, manager, month: int, count: int) -> None:
    for day in range(1, count + 1):
        received = timezone.make_aware(dt.datetime(2024, month, day, 10))
        open_case(officer, manager, received=received, incident=received.date())


class PublicTablesTests:
    def test_a_year_with_a_small_quarter_is_published_for_the_whole_year_only(self, make_user):
        officer, manager = make_user(Role.INTAKE_OFFICER), make_user(Role.CASE_MANAGER)
        cases_in(officer, manager, 2, 3)  # three children in the first quarter
        cases_in(officer, manager, 5, 6)
        stats = public.public_statistics(2024)
        assert stats.quarters == [] and stats.published_to == 4
        assert [cells[0].display for _label, _unit, cells in stats.summary] == [
            "9",
            "9",
            "0",
        ]  # no perpetrator recorded
        kecamatan = next(t for t in stats.tables if t.key == "kecamatan")
        assert all(cells == [] for _label, cells, _total in kecamatan.rows)

    def test_only_ended_quarters_are_published(self, make_user):
        officer, manager = make_user(Role.INTAKE_OFFICER), make_user(Role.CASE_MANAGER)
        cases_in(officer, manager, 2, 6)
        stats = public.public_statistics(2024, today=dt.date(2024, 7, 15))
        assert stats.quarters == [1, 2]
        assert stats.columns == ["T1", "T2", "Tahun 2024"]

    def test_no_table_goes_below_kecamatan(self, make_user):
        officer, manager = make_user(Role.INTAKE_OFFICER), make_user(Role.CASE_MANAGER)
        cases_in(officer, manager, 2, 6)
        keys = {table.key for table in public.public_statistics(2024).tables}
        assert keys == {"jenis", "kecamatan", "usia", "kelamin", "hubungan"}

    def test_csv_cells_that_look_like_formulas_are_neutralised(self):
        assert public.neutralise("=HYPERLINK(1)") == "'=HYPERLINK(1)"
        assert [public.neutralise(v) for v in ("+1", "-1", "@x", "<5")] == ["'+1", "'-1", "'@x", "<5"]
