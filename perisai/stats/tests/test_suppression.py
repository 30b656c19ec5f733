"""Small-cell suppression never lets a reader work out a count from 1 to 4.

The property test checks the algorithm with an independent auditor: it writes down everything a reader
knows (every published number, "<5" means 1-4, "≥5" means at least 5, every row and column adds up, and a
table's column totals are the same numbers as another table's when both count victims per quarter) and
searches, by brute force, for different tables that fit all of it. Every hidden cell must be able to take at
least three values; otherwise the reader would know it, or narrow it to two.
"""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from perisai.stats.suppression import COMPLEMENT, PRIMARY, SHOWN, WITHHELD, suppress_line, suppress_table

UPPER = 150  # no count in these small tables comes near it


class SearchTooLong(Exception):
    """The brute force went past its budget of search steps."""


class System:
    """Unknowns (the hidden cells) with the range a reader knows, and equations sum(coef * x) = constant.

    `budget` caps the brute force's search steps. The search is exponential in the hidden cells when a value does
    not fit: a year of generated cases once kept a CI worker busy for over ten minutes. A capped search that runs
    out raises SearchTooLong, and the caller falls back on the LP audit, which is exact and polynomial."""

    def __init__(self, budget: int | None = None):
        self.domains: dict[object, tuple[int, int]] = {}
        self.truth: dict[object, int] = {}
        self.equations: list[tuple[list[tuple[object, int]], int]] = []
        self.budget = budget

    def value(self, key, value: int, state: str):
        """A published cell is a constant; a hidden one an unknown named `key`."""
        if state == SHOWN:
            return value
        self.domains[key] = {PRIMARY: (1, 4), COMPLEMENT: (5, UPPER), WITHHELD: (0, UPPER)}[state]
        self.truth[key] = value
        return key

    def equation(self, terms: list[tuple[object, int]]):
        constant, unknowns = 0, []
        for term, coef in terms:
            if isinstance(term, int):
                constant -= coef * term
            else:
                unknowns.append((term, coef))
        self.equations.append((unknowns, constant))

    def solve(self, fixed: dict) -> bool:
        """Is there an integer assignment within the domains, with `fixed` values, meeting every equation?"""
        assigned = dict(fixed)
        if any(not (self.domains[k][0] <= v <= self.domains[k][1]) for k, v in fixed.items()):
            return False
        return self._search(assigned)

    def _bounds(self, assigned):
        for unknowns, constant in self.equations:
            total, low, high, free = 0, 0, 0, []
            for key, coef in unknowns:
                if key in assigned:
                    total += coef * assigned[key]
                else:
                    lo, hi = self.domains[key]
                    low += min(coef * lo, coef * hi)
                    high += max(coef * lo, coef * hi)
                    free.append((key, coef))
            yield total, low, high, free, constant

    def _search(self, assigned) -> bool:
        if self.budget is not None:
            self.budget -= 1
            if self.budget < 0:
                raise SearchTooLong
        # Propagate: an equation with one unknown left decides it.
        changed = True
        assigned = dict(assigned)
        while changed:
            changed = False
            for total, low, high, free, constant in self._bounds(assigned):
                if not (total + low <= constant <= total + high):
                    return False
                if len(free) == 1:
                    key, coef = free[0]
                    rest = constant - total
                    if rest % coef:
                        return False
                    value = rest // coef
                    lo, hi = self.domains[key]
                    if not lo <= value <= hi:
                        return False
                    assigned[key] = value
                    changed = True
        free = [k for k in self.domains if k not in assigned]
        if not free:
            return all(
                sum(coef * assigned[key] for key, coef in unknowns) == constant for unknowns, constant in self.equations
            )
        key = min(free, key=lambda k: self.domains[k][1] - self.domains[k][0])
        lo, hi = self.domains[key]
        return any(self._search({**assigned, key: value}) for value in range(lo, hi + 1))

    def narrowed(self, enough: int = 3) -> list:
        """The hidden cells a reader can pin down to fewer than `enough` values. The values that fit form an
        interval holding the true one, so it is walked outwards from it."""
        result = []
        for key, (lo, hi) in self.domains.items():
            truth, count = self.truth[key], 1
            for step in (1, -1):
                other = truth + step
                while count < enough and lo <= other <= hi and self.solve({key: other}):
                    count += 1
                    other += step
            if count < enough:
                result.append(key)
        return result


def narrowed_by_lp(system: System, enough: int = 3) -> list:
    """The same question answered by linear programming (HiGHS through scipy), for tables too large for the
    brute-force search: each hidden cell's smallest and largest value over everything published. The published
    sums of a table (rows, columns, running totals of a row) form a network matrix, which is totally
    unimodular, so the bounds are whole numbers and every whole number between them fits: the count of values is
    max - min + 1. A "≥5" or withheld cell has no upper bound here (the brute force caps it for speed)."""
    import numpy as np
    from scipy.optimize import linprog

    keys = list(system.domains)
    index = {key: k for k, key in enumerate(keys)}
    a_eq = np.zeros((len(system.equations), len(keys)))
    b_eq = np.zeros(len(system.equations))
    for row, (unknowns, constant) in enumerate(system.equations):
        for key, coef in unknowns:
            a_eq[row, index[key]] += coef
        b_eq[row] = constant
    bounds = [(lo, None if hi == UPPER else hi) for lo, hi in system.domains.values()]
    result = []
    for key in keys:
        c = np.zeros(len(keys))
        c[index[key]] = 1
        low = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        high = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        assert low.status == 0 and high.status in (0, 3), (key, low.message, high.message)  # 3: unbounded above
        top = float("inf") if high.status == 3 else -high.fun
        if top - low.fun + 1 < enough - 1e-6:
            result.append(key)
    return result


def add_table(system: System, name: str, table, shared_totals: str | None = None, prefixes=()) -> None:
    """Everything one table publishes; `prefixes`: its running totals, the sums of its first k columns."""
    m, n = len(table.cells), len(table.column_totals)
    cells = [
        [system.value((name, i, j), c.value, c.state) for j, c in enumerate(row)] for i, row in enumerate(table.cells)
    ]
    rows = [system.value((name, i, "total"), c.value, c.state) for i, c in enumerate(table.row_totals)]
    prefix = shared_totals or name
    cols = [system.value((prefix, "total", j), c.value, c.state) for j, c in enumerate(table.column_totals)]
    grand = system.value((prefix, "total", "total"), table.grand_total.value, table.grand_total.state)
    for i in range(m):
        system.equation([*((cells[i][j], 1) for j in range(n)), (rows[i], -1)])
    for j in range(n):
        system.equation([*((cells[i][j], 1) for i in range(m)), (cols[j], -1)])
    system.equation([*((rows[i], 1) for i in range(m)), (grand, -1)])
    system.equation([*((cols[j], 1) for j in range(n)), (grand, -1)])
    for index, k in enumerate(prefixes):
        for i in range(m):
            running = system.value((name, i, f"jan-{k}"), table.running[i][index].value, table.running[i][index].state)
            system.equation([*((cells[i][j], 1) for j in range(k)), (running, -1)])
        total = table.running_totals[index]
        if total.state != WITHHELD:
            running = system.value((prefix, "total", f"jan-{k}"), total.value, total.state)
            system.equation([*((cols[j], 1) for j in range(k)), (running, -1)])


def assert_no_small_cell_revealed(system: System) -> None:
    assert not system.narrowed(), f"narrowed to fewer than 3 values: {system.narrowed()}"


small_counts = st.integers(min_value=0, max_value=12).map(lambda v: v if v % 3 else v // 3)  # many small ones
matrices = st.integers(min_value=1, max_value=4).flatmap(
    lambda rows: st.integers(min_value=1, max_value=3).flatmap(
        lambda cols: st.lists(st.lists(small_counts, min_size=cols, max_size=cols), min_size=rows, max_size=rows)
    )
)
quarterly = st.integers(min_value=1, max_value=4).flatmap(
    lambda rows: st.integers(min_value=3, max_value=4).flatmap(
        lambda cols: st.lists(st.lists(small_counts, min_size=cols, max_size=cols), min_size=rows, max_size=rows)
    )
)
FAST = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)


class SuppressionPropertyTests:
    @FAST
    @given(matrices)
    def test_no_hidden_small_cell_can_be_worked_out_from_the_totals(self, matrix):
        table = suppress_table(matrix)
        if table.withheld:
            return
        system = System()
        add_table(system, "t", table)
        assert_no_small_cell_revealed(system)

    @FAST
    @given(matrices, st.data())
    def test_two_tables_sharing_their_published_column_totals_reveal_nothing_together(self, first, data):
        """Victims per kecamatan and victims by sex have the same totals per quarter. Those are published
        only when none is from 1 to 4 (public.py shows the year alone otherwise), so they are constants."""
        n = len(first[0])
        totals = [sum(row[j] for row in first) for j in range(n)]
        assume(not any(1 <= t <= 4 for t in totals))
        top = [data.draw(st.integers(min_value=0, max_value=t)) for t in totals]
        second = [top, [t - s for t, s in zip(totals, top, strict=True)]]
        line = [*totals, sum(totals)]
        tables = [suppress_table(m, column_totals=line, total_states=[SHOWN] * (n + 1)) for m in (first, second)]
        if any(t.withheld for t in tables):
            return
        system = System()
        for index, table in enumerate(tables):
            add_table(system, f"t{index}", table, shared_totals="quarters")
        assert_no_small_cell_revealed(system)

    @FAST
    @given(quarterly, st.data())
    def test_running_totals_beside_the_quarters_reveal_nothing(self, matrix, data):
        """January-June and January-September beside the quarters and the year: a reader subtracts one from the
        other, or a quarter from them, and still cannot narrow any hidden cell."""
        n = len(matrix[0])
        prefixes = tuple(data.draw(st.sets(st.integers(2, n - 1), min_size=1)))
        table = suppress_table(matrix, prefixes=prefixes)
        if table.withheld:
            return
        system = System()
        add_table(system, "t", table, prefixes=prefixes)
        assert_no_small_cell_revealed(system)

    @FAST
    @given(quarterly, st.data())
    def test_running_totals_with_shared_quarter_totals_reveal_nothing(self, matrix, data):
        n = len(matrix[0])
        totals = [sum(row[j] for row in matrix) for j in range(n)]
        assume(not any(1 <= t <= 4 for t in totals))
        prefixes = tuple(sorted(data.draw(st.sets(st.integers(2, n - 1), min_size=1))))
        table = suppress_table(
            matrix, column_totals=[*totals, sum(totals)], total_states=[SHOWN] * (n + 1), prefixes=prefixes
        )
        if table.withheld:
            return
        assert all(c.state == SHOWN for c in table.running_totals)
        system = System()
        add_table(system, "t", table, shared_totals="quarters", prefixes=prefixes)
        assert_no_small_cell_revealed(system)

    @FAST
    @given(st.lists(small_counts, min_size=1, max_size=8))
    def test_a_line_whose_total_is_published_elsewhere_reveals_no_small_part(self, parts):
        values = [*parts, sum(parts)]
        states = suppress_line(values, total_fixed=True)
        assert states[-1] != COMPLEMENT
        system = System()
        keys = [system.value(("l", k), v, s) for k, (v, s) in enumerate(zip(values, states, strict=True))]
        system.equation([*((key, 1) for key in keys[:-1]), (keys[-1], -1)])
        assert_no_small_cell_revealed(system)

    @FAST
    @given(st.lists(small_counts, min_size=1, max_size=4))
    def test_a_line_of_parts_and_their_total_reveals_no_small_part(self, parts):
        values = [*parts, sum(parts)]
        states = suppress_line(values)
        system = System()
        keys = [system.value(("l", k), v, s) for k, (v, s) in enumerate(zip(values, states, strict=True))]
        system.equation([*((key, 1) for key in keys[:-1]), (keys[-1], -1)])
        assert_no_small_cell_revealed(system)


class SuppressionTests:
    def test_counts_from_one_to_four_are_shown_as_less_than_five(self):
        table = suppress_table([[3, 9], [7, 8]])
        assert table.cells[0][0].display == "<5"
        assert {c.display for row in table.cells for c in row if c.state == COMPLEMENT} <= {"≥5"}

    def test_a_single_hidden_cell_is_never_left_alone_in_its_row(self):
        table = suppress_table([[2, 10, 12], [9, 8, 11]])
        hidden_in_row = [c for c in [*table.cells[0], table.row_totals[0]] if c.hidden]
        assert len(hidden_in_row) >= 2

    def test_zeros_and_large_counts_are_published(self):
        table = suppress_table([[0, 10], [12, 15]])
        assert [c.display for c in table.cells[0]] == ["0", "10"]
        assert table.grand_total.display == "37"

    def test_the_auditor_catches_a_naive_suppression(self):
        """The property test's auditor is not blind: hiding only the small cell is caught."""
        from perisai.stats.suppression import Cell, Table

        naive = Table(
            cells=[[Cell(2, PRIMARY), Cell(10)], [Cell(9), Cell(8)]],
            row_totals=[Cell(12), Cell(17)],
            column_totals=[Cell(11), Cell(18)],
            grand_total=Cell(29),
        )
        system = System()
        add_table(system, "t", naive)
        assert system.narrowed() == [("t", 0, 0)]

    def test_the_lp_auditor_agrees_with_the_brute_force(self):
        for matrix in ([[2, 10, 7], [6, 9, 8]], [[1, 5, 0, 3], [4, 4, 6, 2], [7, 0, 3, 9]]):
            for prefixes in ((), (2,), tuple(range(2, len(matrix[0])))):
                table = suppress_table(matrix, prefixes=prefixes)
                system = System()
                add_table(system, "t", table, prefixes=prefixes)
                assert narrowed_by_lp(system) == system.narrowed()

    def test_the_auditor_sees_a_running_total_minus_a_quarter(self):
        """Quarters suppressed on their own, January-June published in full: January-June minus the second
        quarter gives the first quarter's "<5" back, and the auditor says so."""
        from perisai.stats.suppression import Cell, Table

        naive = Table(
            cells=[[Cell(2, PRIMARY), Cell(10), Cell(7)]],
            row_totals=[Cell(19)],
            column_totals=[Cell(2, PRIMARY), Cell(10), Cell(7)],
            grand_total=Cell(19),
            running=[[Cell(12)]],
            running_totals=[Cell(12)],
        )
        system = System()
        add_table(system, "t", naive, prefixes=(2,))
        assert ("t", 0, 0) in system.narrowed()
        assert ("t", 0, 0) in narrowed_by_lp(system)

    def test_a_running_total_over_a_small_quarter_is_protected_with_it(self):
        table = suppress_table([[2, 10, 7], [6, 9, 8]], prefixes=(2,))
        assert table.cells[0][0].display == "<5"
        # January-June of the first row (12) minus its second quarter must not give the 2 back.
        assert table.running[0][0].hidden or table.cells[0][1].hidden
        system = System()
        add_table(system, "t", table, prefixes=(2,))
        assert_no_small_cell_revealed(system)
