"""Under DEBUG (make run) visitors still get the product's Indonesian error pages, never Django's debug pages,
which list every URL and quote the request's data (issue 17, item 7)."""

from __future__ import annotations

import pytest
from django.test import Client

from perisai.core.tests.outage_urls import CHILD

pytestmark = [pytest.mark.django_db, pytest.mark.urls("perisai.core.tests.outage_urls")]


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    settings.PERISAI_DEBUG_PAGES = False
    return Client(raise_request_exception=False)


def test_a_missing_page_is_the_friendly_404_without_the_url_list(demo):
    response = demo.get("/tidak-ada/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in body and 'href="/lapor/"' in body
    assert "URLconf" not in body and "staf/" not in body


def test_a_404_raised_by_a_view_is_the_friendly_page_without_its_reason(demo):
    response = demo.get("/gagal/tidak-ada/")
    body = response.content.decode()
    assert response.status_code == 404 and "Halaman tidak ditemukan" in body and CHILD not in body


def test_an_error_is_the_plain_500_page_without_the_request_data(demo, caplog):
    response = demo.post("/gagal/nama/", {"nama": "Siti Rahayu"})
    body = response.content.decode()
    assert response.status_code == 500 and "Terjadi gangguan" in body
    assert "Siti Rahayu" not in body and "Traceback" not in body
    assert any(record.exc_info for record in caplog.records)  # the developer still has the traceback in the console


def test_an_outage_keeps_what_was_typed_as_in_production(demo):
    response = demo.post("/gagal/simpan/", {"story": "cerita yang panjang"})
    assert response.status_code == 503 and "cerita yang panjang" in response.content.decode()


def test_a_database_error_is_the_maintenance_page(demo):
    response = demo.get("/gagal/database/")
    assert response.status_code == 503 and CHILD not in response.content.decode()


def test_developers_can_ask_for_djangos_pages(demo, settings):
    settings.PERISAI_DEBUG_PAGES = True
    assert "URLconf" in demo.get("/tidak-ada/").content.decode()
