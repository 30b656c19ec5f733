"""The monthly PDF for the head of office: who gets it, and what it compares."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.accounts.testing import assert_access, matrix_users
from perisai.cases.models import Victim
from perisai.stats import monthly, tallies


@pytest.mark.django_db
class MonthlyAccessTests:
    def test_analysts_and_supervisors_get_the_monthly_report(self, make_user):
        users = matrix_users(make_user)
        url = reverse("stats:monthly_report") + "?tahun=2023&bulan=9"
        assert_access(url, users=users, allowed={Role.ANALYST, Role.SUPERVISOR})


class MonthlyReportTests:
    def test_september_2023_beside_august_and_september_2022(self, demo, settings):
        settings.PERISAI_LETTERHEAD = ["PEMERINTAH KOTA CILEGON", "DP3AP2KB — UPTD PPA"]
        html = monthly.monthly_html(2023, 9, basis="laporan")
        assert "PEMERINTAH KOTA CILEGON" in html
        assert "September 2023" in html and "Agustus 2023" in html and "September 2022" in html
        assert '<td class="num">4</td><td class="num">4</td><td class="num">0</td>' in html  # victims
        assert "http" not in html.split("<body>")[1]  # nothing to fetch

    def test_the_referral_figures_are_those_of_the_dashboard(self, demo):
        from perisai.stats import counting
        from perisai.stats.dashboard import referral_figures
        from perisai.stats.periods import Period

        html = monthly.monthly_html(2023, 9, basis="laporan")
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

    def test_the_rules_are_cited_in_words_not_file_paths(self, demo):
        html = monthly.monthly_html(2023, 9, basis="laporan")
        assert "dicatat belakangan" in html and "di bawah 18 tahun" in html
        assert "docs/" not in html and ".md" not in html and ".py" not in html

    def test_a_repeat_download_is_served_from_the_cache_until_the_figures_change(self, demo, monkeypatch):
        rendered = []
        real = monthly.monthly_pdf
        monkeypatch.setattr(monthly, "monthly_pdf", lambda html: rendered.append(html) or real(html))
        client = Client()
        client.force_login(demo["analyst"])
        params = {"tahun": "2023", "bulan": "9"}
        first = client.get(reverse("stats:monthly_report"), params)
        second = client.get(reverse("stats:monthly_report"), params)
        assert first.content == second.content and len(rendered) == 1
        Victim.objects.filter(case__opened_at__year=2023, case__opened_at__month=9).first().delete()
        tallies.recount_pending()
        client.get(reverse("stats:monthly_report"), params)
        assert len(rendered) == 2  # one child fewer in September: a new PDF

    def test_the_dashboard_links_the_report_of_its_chosen_period(self, demo):
        client = Client()
        client.force_login(demo["analyst"])
        month = client.get(reverse("stats:dashboard"), {"jenis": "bulan", "tahun": "2023", "bulan": "8"})
        assert "bulanan.pdf?tahun=2023&amp;bulan=8&amp;dasar=laporan" in month.content.decode()
        assert "Laporan bulanan (PDF): Agustus 2023" in month.content.decode()
        year = client.get(reverse("stats:dashboard"), {"jenis": "tahun", "tahun": "2023", "dasar": "kejadian"})
        assert "bulanan.pdf?tahun=2023&amp;bulan=12&amp;dasar=kejadian" in year.content.decode()
