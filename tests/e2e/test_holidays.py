"""An administrator pastes next year's holidays from the SKB 3 Menteri, fixes the line she mistyped without retyping
the rest, and sees them by year (issue 17 item 4: the promise after sending names a working morning, never a
holiday). At 360 and 1280 px, axe clean, without JavaScript."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from perisai.accounts.choices import Role


@pytest.mark.parametrize("viewport", ["mobile", "desktop"])
def test_an_administrator_pastes_the_year_s_holidays(open_page, make_user, viewport):
    p = open_page(viewport, user=make_user(Role.ADMINISTRATOR), javascript=False, enforce_csp=True)
    p.visit(reverse("ops:holidays"))
    expect(p.get_by_text("Belum ada hari libur untuk tahun", exact=False).first).to_be_visible()

    days = p.get_by_label("Hari libur yang ditambahkan")
    days.fill("2027-01-01 Tahun Baru Masehi\n17/08/2027 Hari Kemerdekaan RI\n2027-02-30 Salah ketik")
    with p.navigation(status=400):
        p.get_by_role("button", name="Simpan").click()
    expect(p.get_by_text("Baris 3: tanggal 2027-02-30 tidak ada.")).to_be_visible()
    p.assert_no_horizontal_scroll()
    p.screenshot("holidays-mistake")

    kept = days.input_value()
    assert kept.startswith("2027-01-01 Tahun Baru Masehi")
    days.fill(kept.replace("2027-02-30 Salah ketik", "2027-02-06 Tahun Baru Imlek"))
    with p.navigation():
        p.get_by_role("button", name="Simpan").click()
    expect(p.get_by_role("status").filter(has_text="3 hari libur disimpan.")).to_be_visible()
    year = p.get_by_role("region", name="2027: 3 hari libur")
    expect(year).to_contain_text("Tahun Baru Imlek")
    expect(year.get_by_role("listitem")).to_have_count(3)
    p.assert_no_horizontal_scroll()
    p.screenshot("holidays-saved")
