"""An analyst makes an API token in the browser (the password is asked again, the secret is shown once), and the
API's documentation page opens under the site's CSP with nothing fetched from elsewhere."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import expect

from conftest import PASSWORD
from perisai.accounts.choices import Role
from perisai.api.models import ApiToken
from tests.e2e.steps import press, section


def test_a_token_is_made_after_the_password_and_shown_once(open_page, viewport, make_user):
    analyst = make_user(Role.ANALYST)
    page = open_page(viewport, user=analyst)
    page.visit(reverse("api_tokens:list"))
    new = section(page, "Buat token")
    new.get_by_label("Nama token").fill("Laptop analis")
    press(page, "Buat token", within=new)
    page.get_by_label("Sandi").fill(PASSWORD)
    press(page, "Konfirmasi", status=201)
    secret = section(page, "Token baru").locator("code")
    expect(secret).to_contain_text("psi_")
    page.assert_no_horizontal_scroll()
    page.screenshot("01-made")
    token = ApiToken.objects.get(user=analyst)
    page.visit(reverse("api_tokens:list"))
    expect(section(page, "Token baru")).to_have_count(0)  # shown once
    expect(section(page, "Token Anda")).to_contain_text(f"psi_{token.prefix}")
    press(page, "Cabut", within=section(page, "Token Anda"))
    expect(section(page, "Token Anda")).to_contain_text("Dicabut")
    page.screenshot("02-revoked")


def test_the_api_documentation_opens_without_a_cdn(browser, live_server, transactional_db):
    """The docs are django-ninja's Swagger UI, a developer's tool: checked here for what Perisai promises (it loads
    only from this site and breaks no rule of the site's CSP), not with axe, whose findings in Swagger UI's own
    markup (nested buttons, contrast) Perisai cannot fix. The API's contract is /api/v1/openapi.json."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    elsewhere, problems = [], []
    page.on("request", lambda r: elsewhere.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    response = page.goto(live_server.url + "/api/v1/docs")
    assert response.status == 200 and "script-src" in response.headers["content-security-policy"]
    expect(page.get_by_text("/api/v1/cases/{case_id}", exact=True).first).to_be_visible(timeout=10_000)
    page.screenshot(path="test-results/screenshots/api-docs-1280.png", full_page=False)
    context.close()
    assert not elsewhere, elsewhere
    assert not problems, problems
