"""The parts of every page that are the same for every visitor of a language (the public menu, the language choice,
the footer) are rendered once per language and process (templates/base.html, the "fragments" cache): they were
a third of the CPU of a report's receipt (bench/report_submit.py). What depends on who is signed in, or on the
request, never comes from that cache."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fragment_cache")]
LANDING = reverse("core:landing")
INFO = reverse("publicinfo_public:index")


def page(client: Client, path: str = INFO) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def english(client: Client) -> None:
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302


def test_the_public_chrome_is_served_alike_from_the_cache(client):
    first, again = page(client), page(client)
    assert _chrome(first) == _chrome(again)
    assert "Masuk staf" in again and "Keluar" not in again
    assert "Anak dalam bahaya sekarang?" in again  # the footer's emergency numbers


def test_each_language_has_its_own_chrome(client):
    indonesian = page(client)
    english(client)
    in_english = page(client)
    assert '<html lang="en">' in in_english
    assert "Staff sign-in" in in_english and "Masuk staf" not in in_english
    assert "Is a child in danger right now?" in in_english
    assert '<option value="en" selected' in in_english
    assert '<option value="id" selected' in indonesian
    # Back in Indonesian, the Indonesian chrome comes back, not the English one cached in between.
    assert client.post(reverse("set_language"), {"language": "id", "next": "/"}).status_code == 302
    assert _chrome(page(client)) == _chrome(indonesian)


def test_signed_in_staff_get_their_own_menu_and_a_visitor_after_them_does_not(client, make_user):
    staff = Client()
    staff.force_login(make_user("intake_officer"))
    page(client)  # the public chrome is cached first
    staff_page = page(staff)
    assert "Keluar" in staff_page and "Beranda staf" in staff_page and "Masuk staf" not in staff_page
    visitor = page(Client())
    assert "Keluar" not in visitor and "Beranda staf" not in visitor and "Masuk staf" in visitor


def test_what_belongs_to_the_request_is_never_cached(client):
    first = page(client, INFO)
    second = page(Client(), LANDING)
    # The language form returns to the page it was sent from, with the visitor's own CSRF token.
    assert f'name="next" value="{INFO}"' in first and f'name="next" value="{LANDING}"' in second
    assert _csrf(first) != _csrf(second)


def test_a_changed_office_name_shows_on_the_next_page(client, settings):
    page(client)
    # Without the suite's receiver that empties the cache on every changed setting (conftest.py): the name is
    # outside the cached footer, not kept fresh by that receiver.
    with mock.patch.object(caches["fragments"], "clear"):
        settings.PERISAI_OFFICE_NAME = "UPTD PPA Kota Uji"
        assert "UPTD PPA Kota Uji" in page(client)


def _chrome(html: str) -> tuple[str, str]:
    header = html.split('<main id="isi"')[0]
    footer = html.split('<footer class="site-footer">')[1]
    header = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", header)
    return header, footer


def _csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
