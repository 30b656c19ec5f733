"""Staff sign-in through the real forms (password, then the authenticator code), in a real browser."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import TOTP_SECRET, totp_code  # the project's root conftest.py
from perisai.accounts import services

PASSWORD = "a-long-demo-passw0rd"
EMAIL = "pendamping@example.org"


@pytest.fixture
def case_manager(transactional_db):
    agency = services.agency_save(actor=None, name="UPTD PPA Kota Cilegon", kind="home_office")
    user = services.user_create(
        actor=None,
        email=EMAIL,
        full_name="Siti Pendamping",
        agency=agency,
        roles=["case_manager"],
        password=PASSWORD,
    )
    # Every staff account needs a second factor before it may open anything (accounts.middleware).
    services.user_enrol_second_factor(actor=None, user=user, totp_secret=TOTP_SECRET)
    return user


def test_login_url_is_under_akun():
    assert reverse("account_login") == "/akun/login/"


def test_login_page(open_page, viewport):
    p = open_page(viewport)
    p.visit(reverse("account_login"))

    expect(p.get_by_role("heading", level=1)).to_have_text("Masuk staf")
    expect(p.get_by_label("E-mail")).to_be_visible()
    expect(p.get_by_label("Kata sandi")).to_be_visible()
    expect(p.get_by_role("button", name="Masuk", exact=True)).to_be_visible()
    p.assert_no_horizontal_scroll()


def test_login_lands_on_staff_home(open_page, viewport, case_manager, live_server):
    p = open_page(viewport)
    p.visit(reverse("account_login"))

    p.get_by_label("E-mail").fill(EMAIL)
    p.get_by_label("Kata sandi").fill(PASSWORD)
    with p.navigation():
        p.get_by_role("button", name="Masuk", exact=True).click()

    # Second step: the code from the authenticator app.
    expect(p.page).to_have_url(f"{live_server.url}{reverse('mfa_authenticate')}")
    p.locator("input[name=code]").fill(totp_code())
    with p.navigation():
        p.get_by_role("button", name="Masuk", exact=True).click()

    expect(p.page).to_have_url(f"{live_server.url}{reverse('portal:staff_home')}")
    expect(p.get_by_role("heading", level=1)).to_contain_text("Selamat datang")
    expect(p.get_by_role("main")).to_contain_text(EMAIL)
    p.assert_no_horizontal_scroll()


def test_wrong_password_shows_error_and_keeps_email(open_page, case_manager):
    p = open_page("mobile")
    p.visit(reverse("account_login"))

    p.get_by_label("E-mail").fill(EMAIL)
    p.get_by_label("Kata sandi").fill("not-the-right-password")
    with p.navigation():
        p.get_by_role("button", name="Masuk", exact=True).click()

    assert p.url.endswith(reverse("account_login"))
    expect(p.get_by_role("alert")).to_be_visible()
    expect(p.get_by_role("alert")).not_to_be_empty()
    expect(p.get_by_label("E-mail")).to_have_value(EMAIL)
    expect(p.get_by_label("Kata sandi")).to_have_value("")
