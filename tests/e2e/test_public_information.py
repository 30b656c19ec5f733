"""The public information pages as a parent reads them on a cheap phone without JavaScript, and an administrator
correcting one with a preview and restoring the old text."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import expect

from perisai.accounts.choices import Role
from perisai.publicinfo.models import InfoPage
from tests.e2e.steps import follow, press, section


def test_a_parent_finds_the_signs_of_abuse_from_the_landing_page(open_page, viewport):
    p = open_page(viewport, javascript=False)
    p.visit(reverse("core:landing"))
    follow(p, "Baca informasi untuk masyarakat")
    expect(p.get_by_role("heading", level=1)).to_have_text("Informasi untuk masyarakat")
    for title in ("Tanda-tanda kekerasan dan eksploitasi anak", "Hak anak", "Tanya jawab"):
        expect(p.get_by_role("link", name=title, exact=True)).to_be_visible()
    p.assert_no_horizontal_scroll()
    p.screenshot("01-index")

    follow(p, "Tanda-tanda kekerasan dan eksploitasi anak")
    expect(p.get_by_role("heading", level=2, name="Eksploitasi ekonomi")).to_be_visible()
    act = section(p, "Melihat atau mendengar kekerasan terhadap anak?")
    expect(act.get_by_role("link", name="Laporkan sekarang")).to_have_attribute("href", reverse("reports_public:form"))
    expect(act.get_by_role("link", name="Unduh selebaran untuk dicetak (PDF, A4)")).to_have_attribute(
        "href", reverse("publicinfo_public:leaflet")
    )
    p.assert_no_horizontal_scroll()
    p.screenshot("02-page")


def test_an_administrator_previews_saves_and_restores_a_page(open_page, viewport, make_user):
    admin = make_user(Role.ADMINISTRATOR)
    p = open_page(viewport, user=admin)
    p.visit(reverse("publicinfo:list"))
    p.assert_no_horizontal_scroll()
    p.screenshot("00-list")
    follow(p, "Tanya jawab")
    body = p.get_by_role("textbox", name="Isi", exact=True)
    body.fill(
        body.input_value() + '\n<h2>Pertanyaan baru?</h2>\n<p onclick="x()">Jawaban baru.</p><script>x()</script>'
    )
    press(p, "Pratinjau")
    preview = section(p, "Pratinjau (belum disimpan)")
    expect(preview.get_by_role("heading", name="Pertanyaan baru?")).to_be_visible()
    p.assert_no_horizontal_scroll()
    p.screenshot("01-preview")

    press(p, "Simpan")
    expect(p.get_by_text("Halaman disimpan.")).to_be_visible()
    assert "<script>" not in InfoPage.objects.get(slug="tanya-jawab").body
    follow(p, "Riwayat versi")
    expect(p.locator(".versions > li")).to_have_count(2)
    p.screenshot("02-history")

    with p.navigation():
        p.locator(".versions > li").last.get_by_role("link").click()  # the text the server started with
    press(p, "Pulihkan versi ini")
    expect(p.locator(".versions > li")).to_have_count(3)
    assert "Pertanyaan baru?" not in InfoPage.objects.get(slug="tanya-jawab").body
    p.screenshot("03-restored")
