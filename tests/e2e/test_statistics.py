"""Statistics in the browser on the demo data: the analyst's dashboard for January-September 2023 (40 child
victims, type and relationship breakdowns, the press summary), the public page with suppressed cells, and
the SIMFONI recap download read back. Every page is checked by axe; screenshots at 360 and 1280 px."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from perisai.accounts.models import User
from perisai.stats.tests.test_simfoni import sheets

JAN_SEP_2023 = "/staf/dasbor/?jenis=rentang&dari=2023-01-01&sampai=2023-09-30"
SENTENCE = (
    "Januari–September 2023: 40 anak menjadi korban kekerasan di Kota Cilegon; terbanyak kekerasan seksual (28) "
    "dan eksploitasi (7); 38 dari 40 pelaku adalah orang terdekat korban."
)


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", stdout=io.StringIO())
    return {
        "analyst": User.objects.get(email="analis@perisai.test"),
        "supervisor": User.objects.get(email="kepala@perisai.test"),
    }


def test_dashboard_jan_sep_2023_with_the_press_summary(open_page, viewport, demo):
    p = open_page(viewport, user=demo["analyst"], enforce_csp=True)
    p.visit(JAN_SEP_2023)
    expect(p.get_by_role("heading", level=1)).to_have_text("Dasbor statistik")
    totals = p.locator("section", has=p.get_by_role("heading", name="Jumlah", exact=True))
    expect(totals).to_contain_text("40 korban")
    types = p.get_by_role("table", name=re.compile("Jenis kekerasan"))
    expect(types.get_by_role("row", name=re.compile("^Seksual"))).to_contain_text("28")
    expect(types.get_by_role("row", name=re.compile("^Eksploitasi"))).to_contain_text("7")
    relationships = p.get_by_role("table", name=re.compile("Hubungan pelaku"))
    expect(relationships.get_by_role("row", name=re.compile("^Orang Tua"))).to_contain_text("14")
    expect(p.locator("svg.map").first.locator("path")).to_have_count(8)
    coverage = p.locator("section", has=p.get_by_role("heading", name="Pencegahan dan kasus per kelurahan"))
    expect(coverage.locator("svg.map path")).to_have_count(43)
    expect(coverage.get_by_role("row", name=re.compile("^Randakari"))).to_contain_text("Belum ada kegiatan")
    coverage.scroll_into_view_if_needed()
    p.screenshot("pencegahan-per-kelurahan")
    p.assert_no_horizontal_scroll()
    with p.navigation():
        p.get_by_role("button", name="Buat ringkasan pers").click()
    expect(p.locator("#press-text")).to_have_text(SENTENCE)
    p.screenshot("ringkasan")
    with p.navigation():
        p.get_by_role("link", name="Kelompokkan orang terdekat korban").click()
    grouped = p.get_by_role("table", name=re.compile("Pelaku orang terdekat"))
    expect(grouped.get_by_role("row", name=re.compile("^Orang terdekat"))).to_contain_text("38")


def test_public_statistics_show_suppressed_cells_without_javascript(open_page, viewport, demo):
    p = open_page(viewport, javascript=False, enforce_csp=True)
    p.visit("/statistik/?tahun=2023")
    expect(p.get_by_role("heading", level=1)).to_have_text("Statistik kekerasan terhadap anak")
    kecamatan = p.get_by_role("table", name=re.compile("Kecamatan tempat kejadian"))
    # Three small quarters would pin each other down against the published year total: the year only.
    expect(kecamatan.get_by_role("row", name=re.compile("^Gerogol"))).to_contain_text("<5")
    expect(kecamatan.get_by_role("row", name=re.compile("^Jombang"))).to_contain_text("9")
    expect(p.get_by_role("table", name="Ringkasan")).to_contain_text("40")
    expect(p.locator("td.hidden-cell", has_text="≥5").first).to_be_visible()
    # The year's victims per violence type are the press summary's numbers, never hidden.
    types = p.get_by_role("table", name=re.compile("Jenis kekerasan"))
    expect(types.get_by_role("row", name=re.compile("^Seksual"))).to_contain_text("28")
    p.assert_no_horizontal_scroll()
    # A journalist checks a press release's "January to September" against the page.
    p.get_by_label("Kolom").select_option(label="Kumulatif sejak Januari")
    with p.navigation():
        p.get_by_role("button", name="Tampilkan").click()
    summary = p.get_by_role("table", name="Ringkasan")
    expect(summary.get_by_role("columnheader", name="Jan–Sep")).to_be_visible()
    expect(summary.get_by_role("row", name=re.compile("^Anak korban"))).to_contain_text("40")
    expect(p.get_by_label("Kolom")).to_have_value("kumulatif")
    p.assert_no_horizontal_scroll()
    p.screenshot("statistik-kumulatif")


def test_the_simfoni_recap_downloads_and_reads_back(open_page, demo):
    p = open_page("desktop", user=demo["analyst"])
    p.visit(JAN_SEP_2023)
    with p.expect_download() as download:
        p.get_by_role("link", name=re.compile("Rekap SIMFONI-PPA")).click()
    book = sheets(open(download.value.path(), "rb").read())
    summary = book["Ringkasan"]
    assert summary[summary.index("Jumlah anak korban (korban)") + 1] == "40"
    types = book["Jenis kekerasan"]
    assert types[types.index("Seksual") + 1] == "28"


def test_a_supervisor_exports_the_case_list_with_progress_and_one_download(open_page, demo):
    from perisai.stats.models import CaseExport
    from perisai.stats.tasks import build_export

    p = open_page("mobile", user=demo["supervisor"], enforce_csp=True)
    p.visit("/staf/dasbor/ekspor/?jenis=rentang&dari=2023-01-01&sampai=2023-09-30")
    # allauth asks for the password again first.
    expect(p.get_by_role("heading", level=1)).to_have_text("Konfirmasi Akses")
    p.get_by_label("Sandi").fill("perisai-demo-2026")
    with p.navigation():
        p.get_by_role("button", name="Konfirmasi").click()
    expect(p.get_by_role("heading", level=1)).to_have_text("Ekspor daftar kasus")
    p.get_by_label("Format berkas").select_option("csv")
    with p.navigation():
        p.get_by_role("button", name="Buat berkas ekspor").click()
    expect(p.locator("progress")).to_be_visible()  # no worker in the test: waiting, refreshing itself
    p.screenshot("menunggu")
    build_export.call(CaseExport.objects.get().pk)
    p.visit(p.url)
    with p.expect_download() as download:
        p.get_by_role("link", name="Unduh berkas").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()
    assert text.startswith("Diekspor oleh") and text.count("\n") == 42


def test_dashboard_referral_figures(open_page, viewport, demo):
    """The referral part of the dashboard: the counted cases' referrals answered in time, and the open and
    overdue referrals per agency now (chart beside its table). A picture of the section is kept too."""
    from perisai.referrals import selectors

    rows = selectors.response_times()
    p = open_page(viewport, user=demo["analyst"], enforce_csp=True)
    p.visit(JAN_SEP_2023)
    expect(p.get_by_role("table", name=re.compile("Rujukan kasus yang dihitung"))).to_be_visible()
    section = p.locator("section", has=p.get_by_role("heading", name=re.compile("^Rujukan terbuka dan terlambat")))
    table = section.get_by_role("table", name=re.compile("Rujukan per instansi saat ini"))
    for row in rows:
        expect(table.get_by_role("row", name=re.compile("^" + re.escape(str(row["agency"]))))).to_contain_text(
            f"{row['open']}{row['overdue']}"
        )
    expect(section.get_by_role("img", name=re.compile("Rujukan terbuka per instansi"))).to_be_visible()
    expect(section).to_contain_text("tidak bergantung pada periode dan kecamatan yang dipilih")
    p.assert_no_horizontal_scroll()
    path = p.screenshot()
    section.screenshot(path=path.with_name(path.stem + "-rujukan.png"))
    deadlines = p.locator("section", has=p.get_by_role("heading", name="Kepatuhan batas waktu"))
    deadlines.screenshot(path=path.with_name(path.stem + "-batas-waktu.png"))


def test_a_supervisor_follows_a_press_summary_number_to_its_cases(open_page, demo):
    p = open_page("desktop", user=demo["supervisor"], enforce_csp=True)
    p.visit(JAN_SEP_2023 + "&dasar=kejadian&ringkasan=1")
    sources = p.locator(".press-sources")
    expect(sources).to_contain_text("pelaku (terduga pelaku yang termasuk orang terdekat korban)")
    press = p.locator("section", has=p.get_by_role("heading", name="Ringkasan untuk pers"))
    press.screenshot(path=p.screenshot("ringkasan").with_name("press-summary-supervisor-1280.png"))
    with p.navigation():
        sources.get_by_role("link", name="lihat 37 kasus").click()
    expect(p.get_by_role("heading", level=1)).to_have_text("Semua kasus yang dapat Anda buka")
    expect(p.locator("main")).to_contain_text("37 kasus")
    expect(p.get_by_label("Hubungan pelaku dengan korban")).to_have_value("terdekat")
