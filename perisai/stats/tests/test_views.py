"""The statistics pages: who gets them, and what they show on the demo data."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.accounts.testing import assert_access, matrix_users
from perisai.stats import counting

PERIOD = {"jenis": "rentang", "dari": "2023-01-01", "sampai": "2023-09-30"}


@pytest.fixture
def users(make_user):
    return matrix_users(make_user)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
class DashboardAccessTests:
    def test_only_analysts_and_supervisors_get_the_dashboard(self, users):
        assert_access(reverse("stats:dashboard"), users=users, allowed={Role.ANALYST, Role.SUPERVISOR})

    def test_the_staff_home_links_the_dashboard_for_those_who_may_see_it(self, users):
        for label, expected in [(Role.ANALYST, True), (Role.SUPERVISOR, True), (Role.CASE_MANAGER, False)]:
            body = signed_in(users[label]).get(reverse("portal:staff_home")).content.decode()
            assert (reverse("stats:dashboard") in body) is expected, label

    def test_the_public_page_and_its_csv_need_no_sign_in(self, users):
        for name in ("stats_public:page", "stats_public:csv"):
            assert_access(reverse(name) + "?tahun=2023", users=users, allowed=users.keys(), public=True)


class DashboardTests:
    def test_jan_sep_2023_shows_40_child_victims_with_types_and_relationships(self, demo):
        response = signed_in(demo["analyst"]).get(reverse("stats:dashboard"), PERIOD)
        assert response.status_code == 200
        facts = response.context["facts"]
        assert (facts.victim_count, facts.case_count) == (40, 40)
        sections = {s.breakdown.dimension.key: s.breakdown for s in response.context["sections"]}
        types = {row.code: row.count for row in sections["jenis"].rows}
        assert types["seksual"] == 28 and types["eksploitasi"] == 7
        assert sum(row.count for row in sections["hubungan"].rows) == 40
        body = response.content.decode()
        assert "<svg" in body and "Januari–September 2023" in body
        assert "Rujukan dijawab tepat waktu" in body and "Belum tersedia" not in body

    def test_relationships_can_be_grouped_as_people_close_to_the_child(self, demo):
        response = signed_in(demo["analyst"]).get(reverse("stats:dashboard"), {**PERIOD, "kelompok": "1"})
        grouped = next(s.breakdown for s in response.context["sections"] if s.grouped)
        assert {row.code: row.count for row in grouped.rows}["terdekat"] == 38

    def test_the_press_summary_reads_like_a_press_release(self, demo):
        response = signed_in(demo["analyst"]).get(reverse("stats:dashboard"), {**PERIOD, "ringkasan": "1"})
        assert response.context["press"].text == (
            "Januari–September 2023: 40 anak menjadi korban kekerasan di Kota Cilegon; terbanyak kekerasan "
            "seksual (28) dan eksploitasi (7); 38 dari 40 pelaku adalah orang terdekat korban."
        )

    def test_an_analyst_gets_no_links_to_records_and_a_supervisor_does(self, demo):
        analyst = signed_in(demo["analyst"]).get(reverse("stats:dashboard"), {**PERIOD, "ringkasan": "1"})
        assert not any(s.link for s in analyst.context["press"].segments)
        supervisor = demo["supervisor"]
        response = signed_in(supervisor).get(reverse("stats:dashboard"), {**PERIOD, "ringkasan": "1"})
        links = [s for s in response.context["press"].segments if s.link]
        assert [s.text for s in links] == ["40", "28", "7", "38", "40"]
        listing = signed_in(supervisor).get(links[1].link)
        assert listing.status_code == 200
        assert listing.context["page"].paginator.count == 28  # one victim per demo case

    def test_a_month_in_one_kecamatan(self, demo):
        query = {"jenis": "bulan", "tahun": "2023", "bulan": "3", "kecamatan": "36.72.05"}
        response = signed_in(demo["analyst"]).get(reverse("stats:dashboard"), query)
        assert response.context["period"].label == "Maret 2023"
        assert response.context["place"] == "Kecamatan Jombang, Kota Cilegon"
        shown = response.context["kecamatan_breakdown"]
        assert {row.code for row in shown.rows if row.count} <= {"36.72.05"}
        facts = counting.facts_for(response.context["period"], kecamatan="36.72.05")
        assert response.context["facts"].victim_count == facts.victim_count == shown.total


class DashboardPeriodInputTests:
    def test_a_bad_period_is_explained_beside_the_field(self, db, make_user):
        response = signed_in(make_user(Role.ANALYST)).get(
            reverse("stats:dashboard"), {"jenis": "rentang", "dari": "2023-05-01", "sampai": "2023-01-01"}
        )
        assert response.status_code == 200
        assert "Tanggal akhir harus sesudah tanggal awal." in response.content.decode()


class PublicPageTests:
    def test_small_cells_are_suppressed_and_the_csv_is_what_the_page_shows(self, demo, client):
        page = client.get(reverse("stats_public:page"), {"tahun": "2023"})
        assert page.status_code == 200
        body = page.content.decode()
        assert "&lt;5" in body and "≥5" in body
        stats = page.context["stats"]
        rows = list(
            csv.reader(io.StringIO(client.get(reverse("stats_public:csv"), {"tahun": "2023"}).content.decode()))
        )
        shown = {(r[0], r[2]): r[3:] for r in rows[1:]}
        for table in stats.tables:
            for label, cells, total in table.rows:
                pad = [] if table.quarterly else [""] * (len(stats.columns) - 1)
                assert shown[(table.title, label)] == [*pad, *(c.display for c in cells), total.display]
                assert all(not 1 <= c.value <= 4 or c.display == "<5" for c in [*cells, total])

    def test_the_running_totals_give_a_press_release_period_and_the_csv_follows(self, demo, client):
        """The article's figure: 40 child victims from January to September 2023, read off the page."""
        page = client.get(reverse("stats_public:page"), {"tahun": "2023", "tampilan": "kumulatif"})
        stats = page.context["stats"]
        assert stats.columns == ["Jan–Mar", "Jan–Jun", "Jan–Sep", "Tahun 2023"]
        victims = stats.summary[0][2]
        assert [c.display for c in victims] == ["14", "27", "40", "40"]
        rows = list(
            csv.reader(
                io.StringIO(
                    client.get(reverse("stats_public:csv"), {"tahun": "2023", "tampilan": "kumulatif"}).content.decode()
                )
            )
        )
        assert rows[0][3:] == stats.columns
        assert rows[1][3:] == ["14", "27", "40", "40"]
        quarters = client.get(reverse("stats_public:page"), {"tahun": "2023", "tampilan": "x"}).context["stats"]
        assert quarters.columns == ["T1", "T2", "T3", "T4", "Tahun 2023"]

    def test_the_page_is_cached(self, demo, client, django_assert_max_num_queries):
        client.get(reverse("stats_public:page"), {"tahun": "2023"})
        with django_assert_max_num_queries(6):
            client.get(reverse("stats_public:page"), {"tahun": "2023"})


class PublicPageInputTests:
    def test_an_unknown_year_or_basis_is_not_found(self, db, client):
        assert client.get(reverse("stats_public:page"), {"tahun": "abc"}).status_code == 404
        assert client.get(reverse("stats_public:page"), {"dasar": "x"}).status_code == 404
