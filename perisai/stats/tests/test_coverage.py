"""Prevention beside cases on the dashboard: per kelurahan, the period's cases against the activities held there."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from perisai.stats.coverage import coverage_class

PERIOD = {"jenis": "rentang", "dari": "2023-01-01", "sampai": "2023-09-30"}


@pytest.mark.parametrize(
    ("cases", "activities", "key"),
    [(3, 0, "gap"), (3, 1, "low"), (3, 3, "covered"), (1, 4, "covered"), (0, 2, "prevention_only"), (0, 0, "none")],
)
def test_classes_are_plain_comparisons(cases, activities, key):
    assert coverage_class(cases, activities) == key


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class DashboardCoverageTests:
    def test_jan_sep_2023_shows_where_cases_met_no_outreach(self, demo):
        response = signed_in(demo["analyst"]).get(reverse("stats:dashboard"), PERIOD)
        coverage = response.context["coverage"]
        rows = {row.name: row for row in coverage["rows"]}
        # Masigit: 3 victims' cases and 3 activities in the period (the later ones are outside it).
        assert (rows["Masigit"].cases, rows["Masigit"].activities, rows["Masigit"].key) == (3, 3, "covered")
        assert (rows["Bagendung"].cases, rows["Bagendung"].activities, rows["Bagendung"].key) == (3, 1, "low")
        assert (rows["Randakari"].cases, rows["Randakari"].activities, rows["Randakari"].key) == (3, 0, "gap")
        assert rows["Banjar Negara"].key == "prevention_only"
        assert coverage["rows"][0].key == "gap"  # the most urgent first
        assert {row.cases_shown for row in coverage["rows"] if row.cases in (1, 2)} == {"1–2"}  # an analyst
        assert (coverage["activities"], coverage["participants"]) == (7, 520)
        assert len(coverage["map"]["areas"]) == 43
        body = response.content.decode()
        assert "Pencegahan dan kasus per kelurahan" in body
        assert "<title>Randakari: Ada kasus, belum ada kegiatan pencegahan</title>" in body

    def test_exact_counts_for_supervisors_restricted_cases_left_out_for_analysts_and_a_kecamatan(self, demo):
        """One demo (seeding it is the slow part): the supervisor's exact counts, then a restricted case, then one
        kecamatan."""
        from perisai.cases.models import Case

        supervisor = signed_in(demo["supervisor"]).get(reverse("stats:dashboard"), PERIOD).context["coverage"]
        assert sum(row.cases for row in supervisor["rows"]) + supervisor["cases_without_kelurahan"] == 40
        assert all(row.cases_shown == str(row.cases) for row in supervisor["rows"])

        case = Case.objects.filter(kelurahan__name="Randakari").first()
        Case.objects.filter(pk=case.pk).update(restricted=True)  # test setup: a file closed to most staff
        analyst = signed_in(demo["analyst"]).get(reverse("stats:dashboard"), PERIOD).context["coverage"]
        supervisor = signed_in(demo["supervisor"]).get(reverse("stats:dashboard"), PERIOD).context["coverage"]
        assert {r.name: r.cases for r in analyst["rows"]}["Randakari"] == 2
        assert {r.name: r.cases for r in supervisor["rows"]}["Randakari"] == 3

        jombang = {**PERIOD, "kecamatan": "36.72.05"}
        coverage = signed_in(demo["analyst"]).get(reverse("stats:dashboard"), jombang).context["coverage"]
        assert {row.code[:8] for row in coverage["rows"]} == {"36.72.05"}
        assert len(coverage["map"]["areas"]) == len(coverage["rows"])
        # Projected for that kecamatan alone (the outlines are kept per set of kelurahan), not cut from the city's map.
        assert coverage["map"]["height"] != analyst["map"]["height"]
        assert {area.code for area in coverage["map"]["areas"]} == {row.code for row in coverage["rows"]}
