"""The dashboard counts the counted cases' tasks and referrals in SQL (a subquery of the period's cases, not a
list of 100,000 ids): the same cases as `Facts.case_ids`, also when a case's victims are all adults or a case
has no victim yet, and the same figures as counting by the list."""

from __future__ import annotations

import dataclasses
import datetime as dt

from perisai.cases.models import Case, Victim
from perisai.stats import counting
from perisai.stats.dashboard import deadline_compliance, referral_figures
from perisai.stats.periods import BASIS_INCIDENT, Period

YEAR_2023 = Period(dt.date(2023, 1, 1), dt.date(2023, 12, 31))


def agree(period: Period, kecamatan: str | None = None) -> counting.Facts:
    facts = counting.facts_for(period, kecamatan=kecamatan)
    assert set(facts.counted_cases().values_list("pk", flat=True)) == facts.case_ids
    by_list = dataclasses.replace(facts, cases=None)  # as facts from within(): counted by the id list
    assert deadline_compliance(facts) == deadline_compliance(by_list)
    assert referral_figures(facts) == referral_figures(by_list)
    return facts


class CountedCasesTests:
    def test_the_query_selects_exactly_the_counted_cases_of_the_demo(self, demo):
        facts = agree(YEAR_2023)
        assert facts.case_ids
        agree(Period(YEAR_2023.start, YEAR_2023.end, BASIS_INCIDENT))
        agree(YEAR_2023, kecamatan=Case.objects.exclude(kecamatan=None).first().kecamatan.code)

    def test_cases_of_adults_only_and_cases_without_victims_are_left_out(self, demo):
        cases = list(Case.objects.filter(opened_at__year=2023).exclude(tasks=None).order_by("pk")[:2])
        adults, empty = cases
        Victim.objects.filter(case=adults).update(birth_date=None, estimated_age=30)
        Victim.objects.filter(case=empty).delete()
        facts = agree(YEAR_2023)
        assert adults.pk not in facts.case_ids and empty.pk not in facts.case_ids
        assert facts.uncounted_case_ids == {adults.pk}

    def test_the_comparison_year_has_the_same_victims_without_the_details(self, demo):
        full = counting.facts_for(YEAR_2023)
        light = counting.facts_for(YEAR_2023, detailed=False)
        assert [(v.case_id, v.day, v.age, v.types) for v in light.victims] == [
            (v.case_id, v.day, v.age, v.types) for v in full.victims
        ]
        assert light.case_ids == full.case_ids and not light.perpetrators
        assert counting.breakdown(light, "jenis") == counting.breakdown(full, "jenis")
