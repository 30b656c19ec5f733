"""Small-cell suppression for the public tables (docs/statistics.md, "Angka kecil").

A count from 1 to 4 could point at one child in a kecamatan, so it is shown as "<5" (primary suppression).
Hiding it is not enough when the totals are shown: the total minus the other cells gives it back, or narrows it
to one or two values. So more cells are hidden ("≥5", complementary suppression) until **every hidden cell can
take at least three values** consistent with everything published (cells, totals, "<5" = 1-4, "≥5" = at least
5, counts never negative, caps).

What a reader can deduce is computed exactly, not guessed: a table with its totals is a flow from the rows to
the columns (each cell an edge, each total a bound on a node), so the values a hidden cell can take are those
for which a flow with that edge fixed exists (a max-flow check with lower bounds). The constraint matrix of such
a table is totally unimodular, so every integer between the smallest and largest feasible value is feasible
too: "three values" is "the feasible interval holds three integers around the true value".

Complements are chosen greedily, fewest cells first, then smallest values, never a row total or the grand total
(the office publishes those elsewhere: the press summary names the year's victims per violence type), never a
zero (a reader would know a hidden zero is not "≥5"); then each complement, largest first, is published again
if the table stays safe without it. A table for which no safe choice exists is withheld.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from itertools import product

SHOWN = "shown"
PRIMARY = "primary"  # 1-4, shown as "<5"
COMPLEMENT = "complement"  # hidden so that a primary cell cannot be worked out, shown as "≥5"
WITHHELD = "withheld"  # not published at all (no safe suppression of its line was found), shown as an en dash
SMALL_MAX = 4
MIN_VALUES = 3  # a hidden cell must be able to take at least this many values
UNBOUNDED = 10**9


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


def known_bounds(value: int, state: str, cap: int | None = None) -> tuple[int, int]:
    """What a reader knows of one cell."""
    low, high = {
        SHOWN: (value, value),
        PRIMARY: (1, SMALL_MAX),
        COMPLEMENT: (SMALL_MAX + 1, UNBOUNDED),
        WITHHELD: (0, UNBOUNDED),
    }[state]
    return low, min(high, cap) if cap is not None and state != SHOWN else high


def _max_flow(capacity: dict[int, dict[int, int]], source: int, sink: int) -> int:
    """Edmonds-Karp on a dict-of-dicts residual graph (mutated). Tables are small: a few dozen nodes."""
    flow = 0
    while True:
        parent = {source: source}
        queue = deque([source])
        while queue and sink not in parent:
            node = queue.popleft()
            for nxt, left in capacity[node].items():
                if left > 0 and nxt not in parent:
                    parent[nxt] = node
                    queue.append(nxt)
        if sink not in parent:
            return flow
        push, node = UNBOUNDED * 4, sink
        while node != source:
            push = min(push, capacity[parent[node]][node])
            node = parent[node]
        node = sink
        while node != source:
            capacity[parent[node]][node] -= push
            capacity[node].setdefault(parent[node], 0)
            capacity[node][parent[node]] += push
            node = parent[node]
        flow += push


# Feasibility checks one table may spend (each a small max-flow, about a millisecond). A quarterly table that
# needs more is published for the year only (public.py), which is always cheap and safe: the public page must not
# take minutes for an unlucky table.
CHECK_BUDGET = 1500


class OutOfBudget(Exception):
    pass


@dataclass
class Grid:
    """The extended table being suppressed: cells x[i][j] for the n parts (quarters), row totals in column n,
    then one column per published running total ("January to the end of quarter k": the sum of the first k
    parts, k in `prefixes`); column totals in row m, the grand total at [m][n]. Running totals of the column
    totals are not modelled: the caller publishes them only where the column totals they add up are shown.
    Values, states, cells whose state is decided elsewhere, and per-column caps."""

    values: list[list[int]]
    states: list[list[str]]
    frozen: set[tuple[int, int]]
    caps: list[int | None]
    prefixes: tuple[int, ...] = ()
    budget: int = CHECK_BUDGET

    @property
    def m(self) -> int:
        return len(self.values) - 1

    @property
    def n(self) -> int:
        return len(self.values[0]) - 1 - len(self.prefixes)

    def cells(self) -> list[tuple[int, int]]:
        width = self.n + 1 + len(self.prefixes)
        return [(i, j) for i, j in product(range(self.m + 1), range(width)) if i < self.m or j <= self.n]

    def bounds(self, i: int, j: int) -> tuple[int, int]:
        cap = self.caps[j] if i != self.m else None
        return known_bounds(self.values[i][j], self.states[i][j], cap)

    def feasible(self, fixed: tuple[int, int] | None = None, value: int = 0) -> bool:
        """Is there a table that fits everything published, with cell `fixed` equal to `value`? Columns feed
        rows: source -> column j (its total) -> row i's node for part j (cell ij); each row's nodes form a chain
        whose edge after part k carries the sum of its first k parts (bounded where that running total is
        published), the chain's end -> sink (row total); the grand total bounds the return edge. Lower bounds
        are handled the standard way (node demands)."""
        self.budget -= 1
        if self.budget < 0:
            raise OutOfBudget
        m, n = self.m, self.n
        chain = [[n + i * n + j for j in range(n)] for i in range(m)]
        source = n + m * n
        sink, super_source, super_sink = source + 1, source + 2, source + 3
        capacity: dict[int, dict[int, int]] = {node: {} for node in range(super_sink + 1)}
        demand = [0] * (super_sink + 1)
        if fixed is not None and not (self.bounds(*fixed)[0] <= value <= self.bounds(*fixed)[1]):
            return False

        def edge(u: int, v: int, cell: tuple[int, int] | None) -> None:
            if cell is None:
                low, high = 0, UNBOUNDED
            else:
                low, high = (value, value) if cell == fixed else self.bounds(*cell)
            capacity[u][v] = capacity[u].get(v, 0) + high - low
            capacity[v].setdefault(u, 0)
            demand[v] += low
            demand[u] -= low

        running = {k: n + 1 + index for index, k in enumerate(self.prefixes)}
        for j in range(n):
            edge(source, j, (m, j))
        for i in range(m):
            for j in range(n):
                edge(j, chain[i][j], (i, j))
            for j in range(n - 1):
                edge(chain[i][j], chain[i][j + 1], (i, running[j + 1]) if j + 1 in running else None)
            edge(chain[i][n - 1], sink, (i, n))
        edge(sink, source, (m, n))
        needed = 0
        for node in range(sink + 1):
            if demand[node] > 0:
                capacity[super_source][node] = demand[node]
                capacity[node].setdefault(super_source, 0)
                needed += demand[node]
            elif demand[node] < 0:
                capacity[node][super_sink] = -demand[node]
                capacity[super_sink].setdefault(node, 0)
        return _max_flow(capacity, super_source, super_sink) == needed

    def values_known(self, i: int, j: int, enough: int = MIN_VALUES) -> int:
        """How many values cell (i, j) can take (counted up to `enough`): the feasible set is an interval
        holding the true value, so it is walked outwards from it."""
        truth, count = self.values[i][j], 1
        for step in (1, -1):
            other = truth + step
            while count < enough and self.feasible((i, j), other):
                count += 1
                other += step
        return count

    def narrow(self) -> list[tuple[int, int]]:
        """Hidden cells a reader can pin down to fewer than MIN_VALUES values."""
        return [(i, j) for i, j in self.cells() if self.states[i][j] != SHOWN and self.values_known(i, j) < MIN_VALUES]

    def may_hide(self, i: int, j: int) -> bool:
        # Row totals and the grand total are published elsewhere (column n); zeros are published.
        return self.states[i][j] == SHOWN and (i, j) not in self.frozen and j != self.n and self.values[i][j] > 0

    def _covers(self, j: int) -> set[int]:
        """The running-total columns that add up part j (none for the row total)."""
        return {self.n + 1 + index for index, k in enumerate(self.prefixes) if j < k} if j < self.n else set()

    def _cycles(self, i0: int, j0: int):
        """Cells that can move together by +1/-1 around (i0, j0) and keep every published sum: a rectangle,
        plus the running totals of its two rows that hold one of its two columns but not the other."""
        for i1, j1 in product(range(self.m + 1), range(self.n + 1)):
            if i1 == i0 or j1 == j0:
                continue
            cycle = {(i0, j0), (i0, j1), (i1, j1), (i1, j0)}
            cycle |= {(i, c) for i in (i0, i1) if i < self.m for c in self._covers(j0) ^ self._covers(j1)}
            yield frozenset(cycle)

    def rectangles(self, i0: int, j0: int):
        """Sets of cells to hide so that (i0, j0) lies on a hidden cycle, cheapest first: fewest new cells, then
        the smallest values."""
        if j0 <= self.n:
            cycles = self._cycles(i0, j0)
        else:  # a running total: through one of the parts it adds up
            cycles = (c for part in range(self.n) for c in self._cycles(i0, part) if (i0, j0) in c)
        options = set()
        for cycle in cycles:
            new = tuple(sorted(c for c in cycle if self.states[c[0]][c[1]] == SHOWN))
            if new and all(self.may_hide(*c) for c in new):
                options.add(new)
        return sorted(options, key=lambda cells: (len(cells), sum(self.values[i][j] for i, j in cells), cells))

    def protect(self) -> bool:
        """Hide complements until no hidden cell is narrow; False if that cannot be done."""
        while narrow := self.narrow():
            target = narrow[0]
            before = self.values_known(*target)
            for cells in self.rectangles(*target):
                for i, j in cells:
                    self.states[i][j] = COMPLEMENT
                if self.values_known(*target) > before:
                    break
                for i, j in cells:
                    self.states[i][j] = SHOWN
            else:
                return False
        return True

    def prune(self) -> None:
        """Publish again every complement the table is safe without, largest first."""
        chosen = [(i, j) for i, j in self.cells() if self.states[i][j] == COMPLEMENT]
        for i, j in sorted(chosen, key=lambda c: -self.values[c[0]][c[1]]):
            if (i, j) in self.frozen:
                continue
            self.states[i][j] = SHOWN
            if self.narrow():
                self.states[i][j] = COMPLEMENT


@dataclass
class Table:
    """A suppressed table: interior cells, row totals, column totals and the grand total; with running totals,
    a cell per row and per running total, and their column totals (shown only where the column totals they add
    up are, so they tell nothing the page does not already)."""

    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    grand_total: Cell
    withheld: bool = False  # no safe suppression was found: the table is not published
    running: list[list[Cell]] = field(default_factory=list)
    running_totals: list[Cell] = field(default_factory=list)


def suppress_table(
    matrix: list[list[int]],
    *,
    column_totals: list[int] | None = None,
    total_states: list[str] | None = None,
    caps: list[int | None] | None = None,
    prefixes: tuple[int, ...] = (),
) -> Table:
    """Suppress an m x n table with its totals.

    `column_totals`/`total_states`: shared totals (victims per quarter and in the year, published by several
    tables) whose states are decided by the caller, so that no two tables hide them differently.
    `caps`: per column (and the row-total column last), the largest a cell can be (e.g. the victims of that
    quarter, for counts of victims per violence type).
    `prefixes`: running totals published beside the parts, each the sum of the first k columns (January to
    the end of quarter k), suppressed together with the rest so no subtraction gives a hidden cell back.
    """
    m, n = len(matrix), len(matrix[0])
    if not all(1 < k < n for k in prefixes):
        raise ValueError("a running total of one part is that part, and of all parts the row total")
    row_sums = [sum(row) for row in matrix]
    col_sums = [sum(matrix[i][j] for i in range(m)) for j in range(n)]
    if column_totals is not None:
        col_sums = list(column_totals[:n])
    grand = sum(row_sums) if column_totals is None else column_totals[n]
    values = [[*matrix[i], row_sums[i], *(sum(matrix[i][:k]) for k in prefixes)] for i in range(m)]
    values.append([*col_sums, grand, *(sum(col_sums[:k]) for k in prefixes)])
    states = [[primary_state(v) for v in row] for row in values]
    frozen: set[tuple[int, int]] = set()
    if total_states is not None:
        states[m][: n + 1] = list(total_states)
        frozen = {(m, j) for j in range(n + 1)}
    column_caps = list(caps) if caps else [None] * (n + 1)
    column_caps += [_sum_or_none(column_caps[:k]) for k in prefixes]
    grid = Grid(values, states, frozen, column_caps, tuple(prefixes))
    try:
        if not grid.protect():
            return _withheld(values, n)
        grid.prune()
    except OutOfBudget:
        return _withheld(values, n)
    cells = [[Cell(values[i][j], grid.states[i][j]) for j in range(len(values[0]))] for i in range(m + 1)]
    totals = cells[m][:n]
    return Table(
        cells=[row[:n] for row in cells[:m]],
        row_totals=[row[n] for row in cells[:m]],
        column_totals=totals,
        grand_total=cells[m][n],
        running=[row[n + 1 :] for row in cells[:m]],
        running_totals=[
            Cell(total, SHOWN if all(c.state == SHOWN for c in totals[:k]) else WITHHELD)
            for k, total in zip(prefixes, values[m][n + 1 :], strict=True)
        ],
    )


def _sum_or_none(caps: list[int | None]) -> int | None:
    return None if any(c is None for c in caps) else sum(c for c in caps if c is not None)


def _withheld(values: list[list[int]], n: int) -> Table:
    hidden = [[Cell(v, PRIMARY if v else SHOWN) for v in row] for row in values]
    return Table(
        cells=[row[:n] for row in hidden[:-1]],
        row_totals=[row[n] for row in hidden[:-1]],
        column_totals=hidden[-1][:n],
        grand_total=hidden[-1][n],
        withheld=True,
        running=[row[n + 1 :] for row in hidden[:-1]],
        running_totals=hidden[-1][n + 1 :],
    )


def line_values_known(values: list[int], states: list[str], k: int, enough: int = MIN_VALUES) -> int:
    """How many values part k of a line (parts then their total) can take, counted up to `enough`: one equation,
    so the range is the part's own bounds intersected with the total's minus what the others can be."""
    bounds = [known_bounds(v, s) for v, s in zip(values, states, strict=True)]
    *parts, (total_low, total_high) = bounds
    if k == len(parts):
        low, high = max(total_low, sum(b[0] for b in parts)), min(total_high, sum(b[1] for b in parts))
    else:
        others = [b for index, b in enumerate(parts) if index != k]
        low = max(parts[k][0], total_low - sum(b[1] for b in others))
        high = min(parts[k][1], total_high - sum(b[0] for b in others))
    return min(enough, max(0, high - low + 1))


def suppress_line(values: list[int], *, total_fixed: bool = False) -> list[str]:
    """States for a line of parts and their total (last), e.g. victims per kecamatan and in the year.

    `total_fixed`: the total is published elsewhere too (e.g. the year's victims), so it stays shown (or "<5")."""
    *parts, total = values
    states = [primary_state(v) for v in values]
    if total_fixed and states[-1] == PRIMARY:
        return [WITHHELD] * len(parts) + [PRIMARY]

    def narrow() -> list[int]:
        return [k for k in range(len(values)) if states[k] != SHOWN and line_values_known(values, states, k) < 3]

    while targets := narrow():
        k = targets[0]
        candidates = sorted(
            (p for p in range(len(parts)) if p != k and states[p] == SHOWN and values[p] > 0), key=lambda p: values[p]
        )
        if not total_fixed and states[-1] == SHOWN and total > 0 and k != len(parts):
            # The line's own total (mentions of violence types) is published nowhere else, while its parts are
            # (the press summary names the victims per type): it is hidden first.
            candidates.insert(0, len(parts))
        before = line_values_known(values, states, k)
        for p in candidates:
            states[p] = COMPLEMENT
            if line_values_known(values, states, k) > before:
                break
            states[p] = SHOWN
        else:
            # E.g. four parts of 1 and a total of 4: "<5" everywhere still tells each is 1. Publish none of it.
            return [WITHHELD] * len(parts) + [states[-1] if total_fixed else WITHHELD]
    for p in sorted((p for p, s in enumerate(states) if s == COMPLEMENT), key=lambda p: -values[p]):
        states[p] = SHOWN
        if narrow():
            states[p] = COMPLEMENT
    return states
