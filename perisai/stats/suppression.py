"""Small-cell suppression for the public tables (docs/statistics.md, "Angka kecil").

A count from 1 to 4 could point at one child in a kecamatan, so it is shown as "<5" (primary suppression).
Hiding it is not enough when the totals are shown: the total minus the other cells gives it back. So more
cells are hidden ("≥5", complementary suppression) until every hidden small cell sits on a cycle of hidden
cells along which the table can be changed, keeping every published number (cells and totals) the same and
every hidden number in what a reader knows of it (1-4 for "<5", at least 5 for "≥5"). A reader then cannot
tell the real table from the changed one, so no small cell can be worked out.

The table is seen "extended": cells x[i][j], row totals in column n, column totals in row m, the grand total
at [m][n]. Negating the totals (but not the grand total) makes every row and column of the extended table sum
to zero; a move that adds +d/-d alternately around a cycle keeps them so. Zeros are published and never
used as complements (a reader would know a hidden zero is not "≥5").
"""

from __future__ import annotations

from dataclasses import dataclass

SHOWN = "shown"
PRIMARY = "primary"  # 1-4, shown as "<5"
COMPLEMENT = "complement"  # hidden so that a primary cell cannot be recomputed, shown as "≥5"
WITHHELD = "withheld"  # not published at all (no safe suppression of its line was found), shown as an en dash
SMALL_MAX = 4
MAX_CYCLE = 8  # cells; longer cycles are not searched (the table is then protected by more complements)


@dataclass(frozen=True)
class Cell:
    value: int
    state: str = SHOWN

    @property
    def display(self) -> str:
        if self.state == PRIMARY:
            return "<5"
        if self.state == COMPLEMENT:
            return "≥5"
        if self.state == WITHHELD:
            return "–"
        return str(self.value)

    @property
    def hidden(self) -> bool:
        return self.state != SHOWN


def primary_state(value: int) -> str:
    return PRIMARY if 1 <= value <= SMALL_MAX else SHOWN


@dataclass
class Grid:
    """The extended table being suppressed: values and states, (m+1) x (n+1)."""

    values: list[list[int]]
    states: list[list[str]]
    frozen: set[tuple[int, int]]  # cells whose state is decided elsewhere (shared totals)
    caps: list[int | None]  # per column of the extended table: a hidden cell there may not exceed this

    @property
    def m(self) -> int:
        return len(self.values) - 1

    @property
    def n(self) -> int:
        return len(self.values[0]) - 1

    def sign(self, i: int, j: int) -> int:
        return -1 if (i == self.m) != (j == self.n) else 1

    def may_move(self, i: int, j: int, delta: int, state: str | None = None) -> bool:
        """May this cell's extended value change by `delta` (±1) without leaving what a reader knows of it?"""
        state = state or self.states[i][j]
        value = self.values[i][j]
        change = delta * self.sign(i, j)
        cap = self.caps[j] if i != self.m else None
        if change > 0 and cap is not None and value + 1 > cap:
            return False
        if state == PRIMARY:
            return value + change >= 1 and value + change <= SMALL_MAX
        if state == COMPLEMENT:
            return value + change >= SMALL_MAX + 1
        if state == WITHHELD:
            return value + change >= 0
        return False

    def protected(self, i: int, j: int) -> bool:
        return any(self._cycle_from(i, j, delta) for delta in (1, -1))

    def _cycle_from(self, i0: int, j0: int, delta: int) -> bool:
        """Is there a cycle of hidden cells through (i0, j0) along which it can change by `delta`? The cycle
        alternates a step along a row (the next cell changes by -delta) and along a column (+delta)."""
        if not self.may_move(i0, j0, delta):
            return False

        def hidden_and_movable(i: int, j: int, d: int) -> bool:
            return self.states[i][j] != SHOWN and self.may_move(i, j, d)

        def row_step(i: int, rows: frozenset[int], cols: frozenset[int], length: int) -> bool:
            if hidden_and_movable(i, j0, -delta):
                return True  # closes the cycle: row i and column j0 both balance
            if length + 3 > MAX_CYCLE:
                return False
            for j in range(self.n + 1):
                if j in cols or not hidden_and_movable(i, j, -delta):
                    continue
                for i2 in range(self.m + 1):
                    if i2 not in rows and hidden_and_movable(i2, j, delta):
                        if row_step(i2, rows | {i2}, cols | {j}, length + 2):
                            return True
            return False

        for j1 in range(self.n + 1):
            if j1 == j0 or not hidden_and_movable(i0, j1, -delta):
                continue
            for i1 in range(self.m + 1):
                if i1 != i0 and hidden_and_movable(i1, j1, delta):
                    if row_step(i1, frozenset({i0, i1}), frozenset({j0, j1}), 3):
                        return True
        return False

    def best_rectangle(self, i0: int, j0: int) -> list[tuple[int, int]] | None:
        """The cheapest cells to hide so that (i0, j0) lies on a hidden rectangle that can move."""
        best, best_cost = None, None
        for i1 in range(self.m + 1):
            for j1 in range(self.n + 1):
                if i1 == i0 or j1 == j0:
                    continue
                for delta in (1, -1):
                    corners = [((i0, j1), -delta), ((i1, j1), delta), ((i1, j0), -delta)]
                    if not self.may_move(i0, j0, delta):
                        continue
                    cost, new = 0, []
                    for (i, j), d in corners:
                        if self.states[i][j] != SHOWN:
                            ok = self.may_move(i, j, d)
                        else:
                            ok = (i, j) not in self.frozen and self.may_move(i, j, d, COMPLEMENT)
                            new.append((i, j))
                            cost += self._cost(i, j)
                        if not ok:
                            break
                    else:
                        if best_cost is None or cost < best_cost:
                            best, best_cost = new, cost
        return best

    def _cost(self, i: int, j: int) -> int:
        """Hide as little as possible: small cells first, totals only when needed, the grand total last."""
        value = self.values[i][j]
        if i == self.m and j == self.n:
            return 1_000_000 + value
        if i == self.m or j == self.n:
            return 1_000 + value * 3
        return value


@dataclass
class Table:
    """A suppressed table: interior cells, row totals, column totals and the grand total."""

    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    grand_total: Cell
    withheld: bool = False  # no safe suppression was found: the table is not published


def suppress_table(
    matrix: list[list[int]],
    *,
    column_totals: list[int] | None = None,
    total_states: list[str] | None = None,
    caps: list[int | None] | None = None,
) -> Table:
    """Suppress an m x n table with its totals.

    `column_totals`/`total_states`: shared totals (victims per quarter and in the year, published by several
    tables) whose states were decided once by `suppress_line`, so that no two tables hide them differently.
    `caps`: per column (and the row-total column last), the largest a cell can be (e.g. the victims of that
    quarter, for counts of victims per violence type).
    """
    m, n = len(matrix), len(matrix[0])
    row_sums = [sum(row) for row in matrix]
    col_sums = [sum(matrix[i][j] for i in range(m)) for j in range(n)]
    if column_totals is not None:
        col_sums = list(column_totals[:n])
    grand = sum(row_sums) if column_totals is None else column_totals[n]
    values = [[*matrix[i], row_sums[i]] for i in range(m)] + [[*col_sums, grand]]
    states = [[primary_state(v) for v in row] for row in values]
    frozen: set[tuple[int, int]] = set()
    if total_states is not None:
        states[m] = list(total_states)
        frozen = {(m, j) for j in range(n + 1)}
    grid = Grid(values, states, frozen, list(caps) if caps else [None] * (n + 1))
    while True:
        targets = [
            (i, j)
            for i in range(m + 1)
            for j in range(n + 1)
            if grid.states[i][j] == PRIMARY and not grid.protected(i, j)
        ]
        if not targets:
            break
        cells = grid.best_rectangle(*targets[0])
        if not cells:
            return _withheld(values)
        for i, j in cells:
            grid.states[i][j] = COMPLEMENT
    cells = [[Cell(values[i][j], grid.states[i][j]) for j in range(n + 1)] for i in range(m + 1)]
    return Table(
        cells=[row[:n] for row in cells[:m]],
        row_totals=[row[n] for row in cells[:m]],
        column_totals=cells[m][:n],
        grand_total=cells[m][n],
    )


def _withheld(values: list[list[int]]) -> Table:
    hidden = [[Cell(v, PRIMARY if v else SHOWN) for v in row] for row in values]
    return Table(
        cells=[row[:-1] for row in hidden[:-1]],
        row_totals=[row[-1] for row in hidden[:-1]],
        column_totals=hidden[-1][:-1],
        grand_total=hidden[-1][-1],
        withheld=True,
    )


def suppress_line(values: list[int], *, total_fixed: bool = False) -> list[str]:
    """States for a line of parts and their total (last), e.g. victims per kecamatan and in the year.

    `total_fixed`: the total is published elsewhere too (e.g. the year's victims), so it stays shown."""
    *parts, total = values
    states = [primary_state(v) for v in values]
    if total_fixed and states[-1] == PRIMARY:
        return [WITHHELD] * len(parts) + [PRIMARY]

    def may(k: int, change: int) -> bool:
        value = values[k]
        if states[k] == PRIMARY:
            return 1 <= value + change <= SMALL_MAX
        if states[k] == COMPLEMENT:
            return value + change >= SMALL_MAX + 1
        return False

    def protected(k: int) -> bool:
        for change in (1, -1):
            if not may(k, change):
                continue
            if k == len(parts):  # the total moves with any part moving the same way
                if any(may(p, change) for p in range(len(parts))):
                    return True
                continue
            if any(may(p, -change) for p in range(len(parts)) if p != k):
                return True
            if may(len(parts), change):
                return True
        return False

    while True:
        targets = [k for k in range(len(values)) if states[k] == PRIMARY and not protected(k)]
        if not targets:
            return states
        k = targets[0]
        candidates = [p for p in range(len(parts)) if p != k and states[p] == SHOWN and values[p] > SMALL_MAX]
        candidates.sort(key=lambda p: values[p])
        if candidates and k != len(parts):
            states[candidates[0]] = COMPLEMENT
        elif states[-1] == SHOWN and total > SMALL_MAX and not total_fixed:
            states[-1] = COMPLEMENT
        else:
            # E.g. four parts of 1 and a total of 4: "<5" everywhere still tells each is 1. Publish none of it.
            return [WITHHELD] * len(parts) + [states[-1] if total_fixed else WITHHELD]
