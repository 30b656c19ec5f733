"""Cases entered after the fact count in the period the office received them, on the dashboard (stored tallies)
and in the SIMFONI listing, and their deadline tasks that ran out before they were typed in are not "late"."""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo

import pytest
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.cases import services as case_services
from perisai.cases.policies import case_policy
from perisai.reports import services as report_services
from perisai.stats import counting, simfoni, tallies
from perisai.stats.dashboard import deadline_compliance
from perisai.stats.periods import Period

pytestmark = pytest.mark.django_db

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
RECEIVED = [dt.datetime(2024, month, 12, 10, 0, tzinfo=JAKARTA) for month in (2, 3, 3, 7)]


def _old_case(officer, received_at):
    report = report_services.report_submit(
        actor=None,
        fields={
            "urgent": False,
            "harms": ["touched"],
            "narrative": "Dari buku register.",
            "reporter_anonymous": True,
            "child_name": "Anak",
            "child_age": 11,
            "child_sex": "p",
        },
        token=str(uuid.uuid4()),
        received_at=received_at,
        entered_after_fact=True,
    ).report
    return case_services.case_open_from_report(actor=officer, report=report, risk="sedang", authority="kota")


def test_old_cases_count_in_their_real_months_and_none_is_late(make_user, client, django_capture_on_commit_callbacks):
    officer = make_user(Role.INTAKE_OFFICER)
    with django_capture_on_commit_callbacks(execute=True):
        cases = [_old_case(officer, day) for day in RECEIVED]
    year = Period.year(2024)
    facts = counting.facts_for(year)
    assert facts.case_ids == {case.pk for case in cases}
    assert facts.by_month() == {(2024, 2): 1, (2024, 3): 2, (2024, 7): 1}
    assert counting.facts_for(Period.month(2024, 3)).victim_count == 2
    # Not applicable is neither kept nor missed: no share is shown rather than 0 %.
    assert all(row.decided == 0 and row.percent is None for row in deadline_compliance(facts))

    tallies.recount_pending()
    stored = tallies.read(year)
    assert stored.victim_count == 4 and stored.by_month() == facts.by_month()
    assert all(row.decided == 0 for row in deadline_compliance(stored))

    supervisor = make_user(Role.SUPERVISOR)
    rows = simfoni.listing_rows(facts, case_policy.visible_to(supervisor))
    assert sorted(row[1] for row in rows) == sorted(day.date() for day in RECEIVED)

    client.force_login(supervisor)
    page = client.get(reverse("stats:dashboard"), {"jenis": "tahun", "tahun": 2024})
    assert page.context["facts"].victim_count == 4
