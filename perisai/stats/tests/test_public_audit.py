"""Every table /statistik/ publishes passes the independent brute-force audit of test_suppression: no hidden cell
can be narrowed to fewer than three values from everything on the page (cells, totals, the summary). Checked on
the demo data and on generated data (hypothesis picks the size and the seed), and the year's victims
per violence type, which the press summary names, are never hidden."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from perisai.accounts.choices import Role
from perisai.stats import counting, public
from perisai.stats.generate import generate_cases
from perisai.stats.suppression import COMPLEMENT
from perisai.stats.tests.test_suppression import SearchTooLong, System, add_table, narrowed_by_lp

TODAY = dt.date(2026, 12, 6)  # every period of 2023 and 2024 has ended
# Generated years are unbounded in shape; a brute force past this many steps (seconds) hands over to the LP audit.
BRUTE_FORCE_STEPS = 200_000


def audit(stats: public.PublicStatistics, *, brute_force: bool = True, budget: int | None = None) -> System:
    """The LP audit always; the brute force too unless told not to. With a `budget`, a brute force that runs out
    of search steps leaves the verdict to the LP audit (test_suppression.System)."""
    system = System(budget=budget)
    for table in stats.tables:
        if table.withheld:
            continue
        if table.quarterly and stats.quarters:
            shared = None if counting.dimension(table.key).multi else counting.dimension(table.key).unit
            n = len(stats.quarters)
            grid = SimpleNamespace(
                cells=[cells[:n] for _label, cells, _total in table.rows],
                row_totals=[total for _label, _cells, total in table.rows],
                column_totals=table.column_totals[:n],
                grand_total=table.grand_total,
                running=[cells[n:] for _label, cells, _total in table.rows],
                running_totals=table.column_totals[n:],
            )
            add_table(system, table.key, grid, shared_totals=shared, prefixes=stats.running)
        else:
            keys = [
                system.value((table.key, index), total.value, total.state)
                for index, (_l, _c, total) in enumerate(table.rows)
            ]
            grand = system.value((table.key, "total"), table.grand_total.value, table.grand_total.state)
            system.equation([*((key, 1) for key in keys), (grand, -1)])
    assert not narrowed_by_lp(system), f"{stats.year}: narrowed {narrowed_by_lp(system)}"
    if brute_force:
        try:
            narrowed = system.narrowed()
        except SearchTooLong:
            event("the brute force ran out of steps; the LP audit decided")  # counted in --hypothesis-show-statistics
        else:
            assert not narrowed, f"{stats.year}: narrowed {narrowed}"
    jenis = next(table for table in stats.tables if table.key == "jenis")
    assert all(total.state != COMPLEMENT for _label, _cells, total in jenis.rows)
    return system


def test_the_demo_page_passes_the_audit(demo):
    """Quarters, January-June and January-September, and the year, in one audit."""
    stats = public.public_statistics(2023, today=TODAY)
    assert stats.published_to and stats.running == [2, 3]
    assert stats.columns == ["T1", "T2", "T3", "T4", "Jan–Jun", "Jan–Sep", "Tahun 2023"]
    audit(stats)


@pytest.mark.django_db
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(count=st.integers(min_value=5, max_value=30), seed=st.integers(0, 10_000))
def test_generated_pages_pass_the_audit(make_user, count, seed):
    with transaction.atomic():
        officer, manager = make_user(Role.INTAKE_OFFICER), make_user(Role.CASE_MANAGER)
        generate_cases(officer=officer, manager=manager, count=count, year=2024, seed=seed)
        audit(public.public_statistics(2024, today=TODAY), budget=BRUTE_FORCE_STEPS)
        transaction.set_rollback(True)  # the next example starts from an empty office


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2])
def test_a_busier_year_by_quarter_with_running_totals_passes_the_audit(make_user, seed):
    """120 children in a year: some tables are published by quarter with January-June and January-September
    beside them, with cells hidden; the LP audit checks them all together (the brute force would take minutes)."""
    officer, manager = make_user(Role.INTAKE_OFFICER), make_user(Role.CASE_MANAGER)
    generate_cases(officer=officer, manager=manager, count=120, year=2024, seed=seed)
    stats = public.public_statistics(2024, today=TODAY)
    assert stats.running == [2, 3]
    quarterly = [table for table in stats.tables if table.quarterly and not table.withheld]
    assert quarterly, "nothing to audit: every table fell back to the year"
    n = len(stats.quarters)
    assert any(cell.hidden for table in quarterly for _label, cells, _total in table.rows for cell in cells[n:])
    system = audit(stats, brute_force=False)
    assert any(key[0] == table.key for table in quarterly for key in system.domains)
