"""The staff inbox: its order and pages, its duplicate hints, and what it costs with many open reports (bench/load.py
found it the slowest staff page under load: 100 ms of CPU and 110 ms of PostgreSQL at 6,000 open reports)."""

from __future__ import annotations

import datetime as dt
import re
import types
import uuid
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from perisai.accounts.choices import Role
from perisai.core import crypto
from perisai.regions import selectors as regions
from perisai.reports import selectors, services, similar

INBOX = reverse("reports:inbox")
NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


def report(*, hours_ago: float, urgent: bool = False, kecamatan: str = "36.72.05", name: str = "Anak Uji"):
    fields = {
        "urgent": urgent,
        "harms": ["touched"],
        "narrative": "Cerita uji.",
        "reporter_anonymous": True,
        "child_name": name,
        "child_age": 9,
        "kecamatan": regions.city_region(kecamatan),
    }
    received = timezone.now() - dt.timedelta(hours=hours_ago)
    return services.report_submit(actor=None, fields=fields, token=str(uuid.uuid4()), received_at=received).report


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def row_of(html: str, report) -> str:
    """The report's own row (its code is also in other rows' "Mungkin sama dengan" hints)."""
    return next(row for row in html.split("<tr")[1:] if f">{report.tracking_code}</a>" in row)


def codes_listed(html: str) -> list[str]:
    return re.findall(r'<td><a href="/staf/laporan/[^"]+/">([^<]+)</a>', html)


@pytest.mark.django_db
class InboxTests:
    def test_urgent_first_then_groups_holding_an_urgent_report_then_oldest_across_pages(self, make_user, monkeypatch):
        officer = make_user(Role.INTAKE_OFFICER)
        oldest = report(hours_ago=72)
        urgent = report(hours_ago=24, urgent=True)
        group = report(hours_ago=48)
        services.report_merge(actor=officer, report=report(hours_ago=30, urgent=True), into=group)
        pair = report(hours_ago=60)
        for hours in (50, 40):
            services.report_merge(actor=officer, report=report(hours_ago=hours), into=pair)
        newest = report(hours_ago=1)
        monkeypatch.setattr(selectors, "INBOX_PER_PAGE", 2)
        browser = signed_in(officer)
        pages = [browser.get(INBOX, {"halaman": number}).content.decode() for number in (1, 2, 3)]
        assert [codes_listed(page) for page in pages] == [
            [urgent.tracking_code, group.tracking_code],
            [oldest.tracking_code, pair.tracking_code],
            [newest.tracking_code],
        ]
        assert "5 laporan menunggu" in pages[0] and "Halaman 3 dari 3" in pages[2]
        # Each group's own count, on its own row.
        assert "+1 laporan digabung" in row_of(pages[0], group) and "digabung" not in row_of(pages[0], urgent)
        assert "+2 laporan digabung" in row_of(pages[1], pair) and "digabung" not in row_of(pages[1], oldest)
        assert browser.get(INBOX, {"halaman": 99}).content.decode().count("<tr") == 1 + 1  # the last page again

    def test_listing_decrypts_nothing_and_costs_the_same_queries_for_three_reports_or_thirty(self, make_user):
        browser = signed_in(make_user(Role.INTAKE_OFFICER))
        for hours in range(3):
            report(hours_ago=hours, name=f"Anak {hours}")
        browser.get(INBOX)  # the session's first writes
        with CaptureQueriesContext(connection) as few:
            browser.get(INBOX)
        for hours in range(3, 30):
            report(hours_ago=hours, name=f"Anak {hours}", kecamatan="36.72.01" if hours % 2 else "36.72.05")
        with mock.patch.object(crypto, "decrypt", wraps=crypto.decrypt) as decrypt:
            with CaptureQueriesContext(connection) as many:
                html = browser.get(INBOX).content.decode()
        assert len(codes_listed(html)) == 30
        # No child's name or story is decrypted to list reports (UU PDP: only what the task needs).
        assert decrypt.call_count == 0
        assert len(many.captured_queries) == len(few.captured_queries)

    def test_reports_about_the_same_child_are_hinted_on_the_page(self, make_user):
        browser = signed_in(make_user(Role.INTAKE_OFFICER))
        one = report(hours_ago=3, name="Siti Aminah")
        same = report(hours_ago=2, name="siti  aminah", kecamatan="36.72.01")  # another kecamatan, the same name
        other = report(hours_ago=1, name="Budi", kecamatan="36.72.02")
        html = browser.get(INBOX).content.decode()
        assert f"Mungkin sama dengan {same.tracking_code}" in html
        assert f"Mungkin sama dengan {one.tracking_code}" in html
        assert f"Mungkin sama dengan {other.tracking_code}" not in html


# --- The hints' shortcut against the plain rule -------------------------------------------------------------------
def _fake(pk: int, hours: int, kelurahan, kecamatan, harms, name_index, age):
    return types.SimpleNamespace(
        pk=pk,
        received_at=NOW + dt.timedelta(hours=hours),
        kelurahan_id=kelurahan,
        kecamatan_id=kecamatan,
        harms=harms,
        child_name_index=name_index,
        child_age=age,
    )


fakes = st.lists(
    st.tuples(
        st.integers(0, 400),
        st.sampled_from([None, 1, 2, 3]),
        st.sampled_from([None, 10, 11]),
        st.lists(st.sampled_from(["touched", "beaten", "neglect"]), max_size=2, unique=True),
        st.sampled_from(["", "name-a", "name-b"]),
        st.sampled_from([None, 5, 6, 9]),
    ),
    max_size=25,
).map(lambda rows: [_fake(pk, *row) for pk, row in enumerate(rows, 1)])


def _hints_by_the_plain_rule(reports, among):
    """Every listed report against every other, as the inbox did before it grouped them by place and name."""
    hints = {}
    for one in reports:
        for other in among:
            if other.pk == one.pk or abs(one.received_at - other.received_at) > similar.WINDOW:
                continue
            if similar.reasons_between(one, other, names=False):
                found = hints.setdefault(one.pk, [])
                found.append(other)
                if len(found) >= similar.HINTS_SHOWN:
                    break
    return hints


@settings(max_examples=200, deadline=None)
@given(among=fakes, listed=st.integers(0, 25))
def test_the_inbox_hints_are_those_of_the_plain_rule(among, listed):
    reports = among[:listed]
    assert similar.inbox_hints(reports, among) == _hints_by_the_plain_rule(reports, among)
    for one in reports:
        for other in among:
            assert similar.shares_reason(one, other) == bool(similar.reasons_between(one, other, names=False))
