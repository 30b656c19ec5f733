"""The report form's fields, the same for every visitor until they type, are rendered once per language and process
(bench/load.py: 41 ms of widget templates per visit, most of the server's work with 200 reporters). What a reporter
typed, or an error, is never served from that cache."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.test.signals import template_rendered
from django.urls import reverse

from perisai.core.tests.failing_database import database_fails
from perisai.regions import selectors as regions
from perisai.reports import services
from perisai.reports.tests.helpers import form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fragment_cache")]
FORM = reverse("reports_public:form")


def widget_renders(client: Client, *args, method: str = "get", **kwargs) -> tuple[int, str]:
    """How many widget templates the page rendered, and its HTML."""
    seen = []

    def count(sender, template, **_kwargs):
        if template.name and template.name.startswith("django/forms/widgets/"):
            seen.append(template.name)

    template_rendered.connect(count)
    try:
        response = getattr(client, method)(*args, **kwargs)
    finally:
        template_rendered.disconnect(count)
    return len(seen), response.content.decode()


def without_token(html: str) -> str:
    html = re.sub(r'name="token" value="[^"]+"', "", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_the_fields_are_rendered_once_and_served_alike(client):
    first_renders, first = widget_renders(client, FORM)
    again_renders, again = widget_renders(client, FORM)
    assert first_renders > 100 and again_renders == 3  # the token's hidden input only (hidden, input, attrs)
    assert without_token(first) == without_token(again)
    tokens = {re.search(r'name="token" value="([^"]+)"', html).group(1) for html in (first, again)}
    assert len(tokens) == 2  # each visit still gets a form token of its own


def test_each_language_has_its_own(client):
    widget_renders(client, FORM)
    client.post(reverse("set_language"), {"language": "en", "next": FORM})
    _renders, english = widget_renders(client, FORM)
    assert "Report violence against a child" in english and "Apa yang terjadi" not in english


def test_what_was_typed_is_never_served_from_the_cache(client):
    widget_renders(client, FORM)
    typed = {"narrative": "Anak tetangga dipukul", "child_age": "40"}
    renders, page = widget_renders(client, FORM, typed, method="post")
    assert renders > 100
    assert "Anak tetangga dipukul" in page and 'id="id_child_age_error' in page
    _renders, fresh = widget_renders(client, FORM)
    assert "Anak tetangga dipukul" not in fresh and "id_child_age_error" not in fresh


def test_a_changed_setting_shows_on_the_next_page(client, settings):
    widget_renders(client, FORM)
    settings.PERISAI_ATTACHMENT_MAX_MB = 3
    _renders, page = widget_renders(client, FORM)
    assert "masing-masing 3 MB" in page


def test_an_outage_page_is_never_stored_for_the_next_visitor(client):
    """The outage page shows what was typed in an unbound form. With the cache cold (a new worker, or five minutes
    after the last visit), it once went into the cache and out to every later visitor."""
    typed = {**form_data(), "narrative": "Anak tetangga dipukul ayahnya", "child_name": "Bunga"}
    with mock.patch.object(services, "report_submit", side_effect=OperationalError("the database is down")):
        outage = Client(raise_request_exception=False).post(FORM, typed)
    assert outage.status_code == 503 and "Anak tetangga dipukul ayahnya" in outage.content.decode()
    _renders, next_visitor = widget_renders(client, FORM)
    assert "Anak tetangga dipukul ayahnya" not in next_visitor and "Bunga" not in next_visitor


def test_stand_in_regions_from_an_outage_are_never_cached(client):
    regions.city_choices.cache_clear()  # a worker started during the outage: it never read the regions
    try:
        with database_fails():
            Client(raise_request_exception=False).get(FORM)
    finally:
        regions.city_choices.cache_clear()
    _renders, page = widget_renders(client, FORM)
    assert "Jombang" in page and "Masigit" in page  # the city's lists, once the database is back
