"""The same period gives the same numbers everywhere: dashboard (stored tallies), press summary, public page and
its CSV (before suppression), SIMFONI recap, case-list export (counted afresh from the cases). Checked on the
demo data and on generated data."""

from __future__ import annotations

import csv
import io

from django.test import Client
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.cases.choices import CLOSE_RELATIONSHIPS
from perisai.cases.filters import CLOSE, RELATIONSHIP_CHOICES
from perisai.cases.models import Case
from perisai.stats import counting, exports, public, simfoni
from perisai.stats.generate import generate_cases
from perisai.stats.periods import Period
from perisai.stats.tests.test_simfoni import sheets


def dashboard(user, year: int):
    client = Client()
    client.force_login(user)
    response = client.get(reverse("stats:dashboard"), {"jenis": "tahun", "tahun": year, "ringkasan": "1"})
    assert response.status_code == 200
    return response.context


def assert_outputs_agree(user, year: int) -> None:
    context = dashboard(user, year)
    shown = context["facts"]  # the dashboard's figures, from the stored tallies
    facts = counting.facts_for(Period.year(year))  # counted afresh from the cases, as the downloads count
    sections = {s.breakdown.dimension.key: s.breakdown for s in context["sections"]}
    sections["kecamatan"] = context["kecamatan_breakdown"]
    stats = public.public_statistics(year)
    assert stats.published_to == 4

    # Public summary line, before suppression, is the dashboard's totals.
    totals = {label: cells[-1].value for label, _unit, cells in stats.summary}
    assert totals == {
        "Anak korban": shown.victim_count,
        "Kasus": shown.case_count,
        "Terduga pelaku": shown.perpetrator_count,
    }
    # Every public table's year column is the dashboard's breakdown, category by category.
    for table in stats.tables:
        dashboard_rows = {row.label: row.count for row in sections[table.key].rows}
        assert {label: total.value for label, _cells, total in table.rows} == dashboard_rows, table.key
        if table.quarterly:
            n = len(stats.quarters)  # then the running totals: January to the end of quarter k
            quarters = [c.value for c in table.column_totals[:n]]
            assert sum(quarters) == table.grand_total.value
            assert [c.value for c in table.column_totals[n:]] == [sum(quarters[:k]) for k in stats.running]
        # The year's victims per violence type, which the press summary names, are never hidden as complements.
        if table.key == "jenis" or table.quarterly:
            assert all(total.state != "complement" for _label, _cells, total in table.rows), table.key
    # The CSV is the page.
    rows = list(csv.reader(io.StringIO(public.public_csv(stats))))
    assert rows[1][-1] == stats.summary[0][2][-1].display
    # The press summary's numbers are the dashboard's.
    numbers = [int(s.text) for s in context["press"].segments if s.text.isdigit()]
    types = sorted((row.count for row in sections["jenis"].rows if row.count), reverse=True)[:2]
    assert numbers[0] == shown.victim_count
    assert numbers[1 : 1 + len(types)] == types
    if shown.perpetrator_count:
        assert numbers[-1] == shown.perpetrator_count
    # The SIMFONI recap: totals, and each category sheet.
    book = sheets(simfoni.recap_xlsx(facts, place="x", watermark="x"))
    summary = book["Ringkasan"]
    assert [summary[summary.index(label) + 1] for label in summary if label.startswith("Jumlah")] == [
        str(shown.case_count),
        str(shown.victim_count),
        str(shown.perpetrator_count),
    ]
    # The case-list export (built for someone who may open every case): one row per counted child victim.
    rows = list(exports.case_rows(facts, Case.objects.all()))
    assert len(rows) == shown.victim_count
    assert len({row[exports.COLUMNS.index("No. registrasi")] for row in rows}) == shown.case_count
    for name, key in simfoni.RECAP_SHEETS:
        values = book[name]
        for row in sections[key].rows:
            assert values[values.index(row.label) + 1] == str(row.count), (name, row.label)


class AgreementTests:
    def test_on_the_demo_data(self, demo):
        assert_outputs_agree(demo["analyst"], 2023)


class GeneratedAgreementTests:
    def test_on_generated_data(self, make_user):
        officer, manager = make_user(Role.INTAKE_OFFICER), make_user(Role.CASE_MANAGER)
        generate_cases(officer=officer, manager=manager, count=60, year=2024)
        assert_outputs_agree(make_user(Role.ANALYST), 2024)


class CaseListFilterAgreementTests:
    def test_the_case_lists_orang_terdekat_group_is_the_one_the_statistics_count(self):
        assert counting.CLOSE_RELATIONSHIPS is CLOSE_RELATIONSHIPS
        assert CLOSE == counting.CLOSE and CLOSE in dict(RELATIONSHIP_CHOICES)
