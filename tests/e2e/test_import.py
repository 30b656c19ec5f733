"""A supervisor imports last year's register in the browser: the dry run names the bad row with a suggestion, a
column is corrected on the page, and the import creates the cases (every page checked by axe)."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import expect

from perisai.accounts.choices import Role
from perisai.cases.models import Case
from perisai.imports.tests.test_import import GOOD, xlsx
from tests.e2e.steps import press, section


def test_a_register_is_checked_corrected_and_imported(open_page, viewport, make_user, tmp_path):
    bad = [["R-009", "12 Maret 2024", "", "Grogoll", "", "Seksual", "A", "", "", "9", "P", "Ayah"]]
    path = tmp_path / "register-2024.xlsx"
    path.write_bytes(xlsx(GOOD + bad))
    page = open_page(viewport, user=make_user(Role.SUPERVISOR))
    page.visit(reverse("imports:upload"))
    page.get_by_label("Berkas register").set_input_files(str(path))
    press(page, "Periksa berkas")
    problems = section(page, "1 masalah")
    expect(problems).to_contain_text("Mungkin maksudnya: Gerogol")
    expect(page.get_by_role("button", name="Impor 3 kasus")).to_have_count(0)
    page.assert_no_horizontal_scroll()
    page.screenshot("01-dry-run")
    page.get_by_label("Kecamatan kejadian").select_option(label="— tidak ada —")
    press(page, "Periksa lagi dengan kolom ini")
    expect(section(page, "Tidak ada masalah")).to_be_visible()
    page.screenshot("02-ready")
    press(page, "Impor 3 kasus")
    expect(page.get_by_role("status")).to_contain_text("3 kasus dari register-2024.xlsx sudah dibuat")
    assert Case.objects.count() == 3
    page.assert_no_horizontal_scroll()
    page.screenshot("03-done")
