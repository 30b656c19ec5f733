"""A held sign-in explains itself next to the form, and an administrator sees the probing on the security page
(issue 15, items 5 and 6), in a real browser at both sizes."""

from __future__ import annotations

import uuid

from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from conftest import PASSWORD
from perisai.accounts.choices import Role
from perisai.audit.selectors import BURST


def test_a_held_account_is_explained_and_the_administrator_sees_the_probing(open_page, viewport, make_user, settings):
    make_user(Role.CASE_MANAGER, email="yuli@perisai.test")
    prober = make_user(Role.PARTNER_STAFF, email="penebak@perisai.test")
    client = Client()
    client.force_login(prober)
    for _ in range(BURST):
        client.get(f"/staf/rujukan/{uuid.uuid4()}/")
    for n in range(settings.PERISAI_LOGIN_ACCOUNT_LIMIT):
        Client(REMOTE_ADDR=f"192.0.2.{n + 1}").post(
            reverse("account_login"), {"login": "yuli@perisai.test", "password": "salah-salah-123"}
        )

    p = open_page(viewport)
    p.visit(reverse("account_login"))
    p.get_by_label("E-mail").fill("yuli@perisai.test")
    p.get_by_label("Kata sandi").fill(PASSWORD)
    with p.navigation():
        p.get_by_role("button", name="Masuk", exact=True).click()
    expect(p.get_by_role("alert")).to_contain_text("Terlalu banyak percobaan masuk yang gagal untuk akun ini")
    expect(p.get_by_label("E-mail")).to_have_value("yuli@perisai.test")
    p.assert_no_horizontal_scroll()
    p.screenshot("01-held")

    admin = open_page(viewport, user=make_user(Role.ADMINISTRATOR))
    admin.visit(reverse("portal:staff_home"))
    with admin.navigation():
        admin.get_by_role("link", name="Keamanan: percobaan yang ditolak dan dikunci").click()
    probes = admin.get_by_role("table", name="“Tidak ditemukan” per akun")
    expect(probes.get_by_role("row", name="penebak@perisai.test")).to_contain_text(str(BURST))
    expect(probes).to_contain_text("Perlu diperiksa")
    locks = admin.get_by_role("table", name="Penguncian")
    expect(locks).to_contain_text("Percobaan masuk ditahan")
    admin.assert_no_horizontal_scroll()
    admin.screenshot("02-security-page")
