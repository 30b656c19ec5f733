"""The counting rules of docs/statistics.md, one by one."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from perisai.accounts.choices import Role
from perisai.cases import services
from perisai.cases.choices import CaseStatus
from perisai.cases.models import Case
from perisai.reports.services import report_submit
from perisai.stats import counting
from perisai.stats.periods import BASIS_INCIDENT, Period

JAN_SEP_2023 = Period(dt.date(2023, 1, 1), dt.date(2023, 9, 30))


def open_case(officer, manager, *, age=10, incident=dt.date(2023, 3, 1), received=None, harms=("touched",)):
    received = received or timezone.make_aware(dt.datetime(2023, 3, 2, 10))
    report = report_submit(
        actor=None,
        token=str(uuid.uuid4()),
        received_at=received,
        fields={"harms": list(harms), "narrative": "x", "child_age": age, "incident_date": incident},
    ).report
    return services.case_open_from_report(
        actor=officer, report=report, risk="sedang", authority="kota", case_manager=manager, opened_at=received
    )


@pytest.fixture
def staff(make_user):
    return make_user(Role.INTAKE_OFFICER), make_user(Role.CASE_MANAGER), make_user(Role.SUPERVISOR)


class CountingRuleTests:
    def test_a_victim_with_several_types_counts_once_per_type_and_once_in_the_total(self, staff):
        officer, manager, _supervisor = staff
        case = open_case(officer, manager)
        victim = case.victims.get()
        services.victim_save(
            actor=manager, case=case, version=case.version, victim=victim, violence_types=["seksual", "psikis"]
        )
        facts = counting.facts_for(JAN_SEP_2023)
        types = {row.code: row.count for row in counting.breakdown(facts, "jenis").rows}
        assert (facts.victim_count, types["seksual"], types["psikis"]) == (1, 1, 1)

    def test_adults_are_not_counted_and_an_unknown_age_is_its_own_band(self, staff):
        officer, manager, _supervisor = staff
        open_case(officer, manager, age=19)
        open_case(officer, manager, age=None)
        open_case(officer, manager, age=17)
        facts = counting.facts_for(JAN_SEP_2023)
        bands = {row.code: row.count for row in counting.breakdown(facts, "usia").rows}
        assert (facts.victim_count, facts.case_count) == (2, 2)
        assert bands == {"0-5": 0, "6-12": 0, "13-17": 1, "na": 1}

    def test_age_is_taken_at_the_incident_from_the_birth_date(self, staff):
        officer, manager, _supervisor = staff
        case = open_case(officer, manager, incident=dt.date(2023, 3, 1))
        # 18 on 2 March 2023: still 17 on the day of the incident, so a child.
        services.victim_save(
            actor=manager, case=case, version=case.version, victim=case.victims.get(), birth_date=dt.date(2005, 3, 2)
        )
        assert counting.facts_for(JAN_SEP_2023).victims[0].age == 17


class CountingOnTheDemoTests:
    def test_a_reopened_case_and_a_merged_report_count_once(self, demo):
        officer, supervisor = demo["officer"], demo["supervisor"]
        before = counting.facts_for(JAN_SEP_2023)
        closed = Case.objects.filter(status=CaseStatus.CLOSED).first()
        services.case_transition(actor=supervisor, case=closed, to=CaseStatus.SERVICE, version=closed.version)
        again = report_submit(actor=None, token=str(uuid.uuid4()), fields={"harms": ["hit"], "narrative": "x"}).report
        services.report_attach_to_case(actor=officer, report=again, case=closed)
        after = counting.facts_for(JAN_SEP_2023)
        assert (after.victim_count, after.case_count) == (before.victim_count, before.case_count) == (40, 40)

    def test_the_incident_date_can_decide_the_period(self, demo):
        by_report = counting.facts_for(JAN_SEP_2023)
        by_incident = counting.facts_for(Period(JAN_SEP_2023.start, JAN_SEP_2023.end, BASIS_INCIDENT))
        # The first demo case was reported on 1 January 2023 about something on 29 December 2022.
        assert (by_report.victim_count, by_incident.victim_count) == (40, 39)

    def test_a_kecamatan_narrows_everything(self, demo):
        facts = counting.facts_for(JAN_SEP_2023, kecamatan="36.72.05")
        assert facts.victim_count == 9
        assert {v.kecamatan for v in facts.victims} == {"36.72.05"}


class PeriodTests:
    def test_labels_read_as_in_a_press_release(self):
        assert JAN_SEP_2023.label == "Januari–September 2023"
        assert Period.month(2023, 3).label == "Maret 2023"
        assert Period.quarter(2023, 4).label == "Oktober–Desember 2023"
        assert Period(dt.date(2023, 1, 5), dt.date(2023, 2, 1)).label == "5 Januari 2023–1 Februari 2023"

    def test_the_same_period_a_year_earlier_survives_a_leap_day(self):
        assert Period(dt.date(2024, 2, 1), dt.date(2024, 2, 29)).years_earlier().end == dt.date(2023, 2, 28)
