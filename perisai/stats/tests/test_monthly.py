"""The monthly PDF for the head of office: who gets it, and what it compares."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.accounts.testing import assert_access, matrix_users
from perisai.stats import monthly


@pytest.mark.django_db
class MonthlyAccessTests:
    def test_analysts_and_supervisors_get_the_monthly_report(self, make_user):
        users = matrix_users(make_user)
        url = reverse("stats:monthly_report") + "?tahun=2023&bulan=9"
        assert_access(url, users=users, allowed={Role.ANALYST, Role.SUPERVISOR})


class MonthlyReportTests:
    def test_september_2023_beside_august_and_september_2022(self, demo, settings):
        settings.PERISAI_LETTERHEAD = ["PEMERINTAH KOTA CILEGON", "DP3AP2KB — UPTD PPA"]
        html = monthly.monthly_html(2023, 9, basis="laporan", prepared_by="Analis Uji")
        assert "PEMERINTAH KOTA CILEGON" in html
        assert "September 2023" in html and "Agustus 2023" in html and "September 2022" in html
        assert '<td class="num">4</td><td class="num">4</td><td class="num">0</td>' in html  # victims
        assert "http" not in html.split("<body>")[1]  # nothing to fetch

    def test_the_referral_figures_are_those_of_the_dashboard(self, demo):
        from perisai.stats import counting
        from perisai.stats.dashboard import referral_figures
        from perisai.stats.periods import Period

        html = monthly.monthly_html(2023, 9, basis="laporan", prepared_by="Analis Uji")
        figures = referral_figures(counting.facts_for(Period.month(2023, 9, "laporan")))
        assert "belum tersedia" not in html
        assert "Rujukan dijawab tepat waktu (September 2023, rujukan)" in html
        for row in figures.per_agency:  # the demo's partners, each with open referrals now
            assert f'<td>{row.agency}</td><td class="num">{row.open}</td><td class="num">{row.overdue}</td>' in html
        assert figures.per_agency

    def test_the_pdf_is_made_without_fetching_anything(self, demo):
        client = Client()
        client.force_login(demo["analyst"])
        response = client.get(reverse("stats:monthly_report"), {"tahun": "2023", "bulan": "9"})
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        with pytest.raises(ValueError):
            monthly.refuse_fetch("http://example.com/tracker.png")
