"""Stored tallies: the dashboard's counts kept per day (and month), kecamatan and category, so a year at
1,000,000 victims is a sum over a few thousand rows instead of reading 160,000 victims (docs/benchmarks.md).

How they stay exact:
- They are made by the same code that counts everywhere else (counting.read_facts and counting.tally), for
  whole days and kecamatan at a time. A case is on exactly one day and in one kecamatan per date basis, so the
  people and distinct cases of disjoint days add up: a period's sum is its count.
- Any write to a case, victim, perpetrator, service, report, deadline task or referral marks the case for
  recounting in the same transaction: the owning apps announce their writes as domain events (case_changed,
  report_changed, referral_changed) and perisai.stats.subscribers marks. Every reader first folds those marks
  in (recount_pending), so what it reads is never older than what was committed before it started (with a read
  replica, older by the replica's lag: see reading()). After the commit, a background task folds them too
  (stats.tasks.recount_tallies), so readers seldom find any.
- `manage.py stats_rebuild` recounts everything; `--check` compares the stored tallies with a fresh count.

Nothing here is about one child: codes, days and counts only.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Max, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from perisai.cases.models import Case, CaseTask
from perisai.core import replica
from perisai.referrals.choices import ReferralStatus
from perisai.referrals.models import Referral
from perisai.stats import counting
from perisai.stats.events import recount_wanted
from perisai.stats.models import CountedCase, DailyTally, Grain, PendingRecount
from perisai.stats.periods import BASIS_INCIDENT, BASIS_REPORT, Period, _month_end

BASES = (BASIS_REPORT, BASIS_INCIDENT)
DEADLINE_RULES = counting.DEADLINE_RULES
SKIPPED = counting.SKIPPED_TASKS
ON_TIME, LATE = "tepat", "terlambat"

# Dimensions stored besides the categories of counting.UNITS (kecamatan is the row's own column).
VICTIMS = "_korban"  # count: child victims; cases: counted cases
PERPETRATORS = "_pelaku"  # count: perpetrators of counted cases; cases: counted cases with one
UNDATED = "_tanpa_tanggal"  # report basis only: cases (counted or not) without an incident date
DEADLINES = "_tenggat"  # code "<rule>:tepat|terlambat": the counted cases' deadline tasks done, by timeliness
REFERRALS = "_rujukan"  # code "tepat|terlambat": the counted cases' referrals answered (not revoked), by timeliness
STORED = [key for key in counting.UNITS if key != "kecamatan"]

# A backlog of more changed cases than this (a migration, a bulk import) is rebuilt at once, in the background.
REBUILD_AT = 5000
# A reader recounts at most this many changed cases itself (seconds at most); with more, it counts afresh for
# its own page and leaves the recount to the background task.
READER_LIMIT = 200
BATCH = 200  # cases recounted per transaction: each brings the cases of up to two days in its kecamatan
LOCK = "SELECT pg_advisory_{}lock(hashtext('perisai.stats.tallies'))"

Cell = tuple[dt.date, str]  # (day, kecamatan code)

_reading: ContextVar[bool] = ContextVar("perisai_tallies_reading", default=False)


# --- Marking --------------------------------------------------------------------------------------------


def mark_changed(case_ids: Iterable[int | None]) -> None:
    """Record, in the caller's transaction, that these cases' tallies must be recounted."""
    ids = {case_id for case_id in case_ids if case_id}
    if ids:
        PendingRecount.objects.bulk_create([PendingRecount(case_id=case_id) for case_id in sorted(ids)])
        # The background worker folds them soon after commit (stats.tasks subscribes), so a reader seldom has
        # any left to recount.
        recount_wanted.fire()


def backlog() -> int:
    """How many distinct cases wait to be recounted."""
    return PendingRecount.objects.values("case_id").distinct().count()


def recount_pending(*, may_rebuild: bool = True) -> int:
    """Fold the marks committed so far into the tallies; returns the number of marks folded. Cheap when there
    are none. Marks that arrive meanwhile are left for the next call, so this always ends. With more than
    REBUILD_AT changed cases, everything is rebuilt instead."""
    last = PendingRecount.objects.order_by("-pk").values_list("pk", flat=True).first()
    if last is None:
        return 0
    folded = 0
    while True:
        with _exclusive():
            pending = PendingRecount.objects.filter(pk__lte=last)
            if may_rebuild and pending.values("case_id").distinct().count() > REBUILD_AT:
                return folded + _rebuild_locked()
            marks = list(pending.order_by("pk").values_list("pk", "case_id")[:BATCH])
            if not marks:
                return folded
            _recount_cases({case_id for _pk, case_id in marks})
            # By id, never "up to the largest id": a mark with a smaller id may commit after this read.
            PendingRecount.objects.filter(pk__in=[pk for pk, _case_id in marks]).delete()
            folded += len(marks)


def rebuild(progress=None) -> int:
    """Recount every tally from the cases. Returns the number of cases counted."""
    with _exclusive():
        return _rebuild_locked(progress)


@contextmanager
def _exclusive():
    """One recount at a time, each reading one snapshot of the cases.

    On SQLite every transaction takes the write lock when it begins (transaction_mode=IMMEDIATE), which does both.
    On PostgreSQL a session advisory lock is taken first, then a REPEATABLE READ transaction: its snapshot starts
    after the previous recount committed, and the day and kecamatan recorded for a case are those its counts
    were made from, even if the case moves meanwhile (its own mark then recounts both days)."""
    if connection.vendor != "postgresql":
        with transaction.atomic():
            yield
        return
    if connection.in_atomic_block:  # inside the caller's transaction (tests): its snapshot, a lock until commit
        with transaction.atomic():
            _execute(LOCK.format("xact_"))
            yield
        return
    _execute(LOCK.format(""))
    try:
        with transaction.atomic():
            _execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield
    finally:
        _execute(LOCK.format("un"))


def _execute(sql: str, using: str = DEFAULT_DB_ALIAS) -> None:
    with connections[using].cursor() as cursor:
        cursor.execute(sql)


@contextmanager
def reading():
    """Reads of the tallies that see every change committed before they started, and one state of the data
    for the live counts beside them (open tasks, referrals). Yields False when the backlog is too large for a
    reader to recount: the caller then counts afresh (counting.facts_for) and the background task catches up.

    SQLite: the fold and the reads in one transaction (it holds the write lock, so nothing commits between).
    PostgreSQL: the fold, then a REPEATABLE READ transaction for the reads; should marks have
    committed in between, fold again (twice at most).
    Inside replica.reading_from_replica() with a replica answering: the fold on the primary, a wait (a second at
    most) for the replica to replay it, then the reads in one REPEATABLE READ snapshot of the replica; a replica
    slower than that shows figures a few seconds behind."""
    token = _reading.set(True)
    try:
        if backlog() > READER_LIMIT:
            recount_wanted.fire()  # the background task catches up
            yield False
            return
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            with transaction.atomic():
                recount_pending(may_rebuild=False)
                yield True
            return
        alias = replica.read_alias()
        if alias != DEFAULT_DB_ALIAS:
            with replica.reading_from_primary():  # the fold counts what the primary holds, and writes there
                folded = recount_pending(may_rebuild=False)
            if folded:
                # This reader's own fold: a healthy replica has it within milliseconds, so wait for it (a second
                # at most) rather than show figures without it.
                replica.wait_for_primary_writes(alias)
            with transaction.atomic(using=alias):
                _execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", using=alias)
                yield True
            return
        for attempt in range(3):
            recount_pending(may_rebuild=False)
            with transaction.atomic():
                # Not READ ONLY: a reader may still write a cache row (the database cache backend).
                _execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                if attempt < 2 and PendingRecount.objects.exists():
                    continue
                yield True
                return
    finally:
        _reading.reset(token)


# --- Counting -------------------------------------------------------------------------------------------


@dataclass
class _Recount:
    rows: list[DailyTally]
    cells: set[Cell]
    counted: frozenset[int]
    case_rows: list[tuple]  # (pk, opened_at, incident_date, kecamatan code) of the cases read


def _case_cells(basis: str, rows) -> dict[int, Cell | None]:
    zone = timezone.get_default_timezone()
    result = {}
    for pk, opened_at, incident_date, code in rows:
        if basis == BASIS_REPORT:
            result[pk] = (opened_at.astimezone(zone).date(), code or "")
        else:
            result[pk] = (incident_date, code or "") if incident_date else None
    return result


def _recount(basis: str, cases: QuerySet, only: set[Cell] | None = None) -> _Recount:
    """Day rows for the given cases (restricted to the cells `only`, when given), by one date basis."""
    case_rows = list(cases.values_list("pk", "opened_at", "incident_date", "kecamatan__code"))
    cell_of = _case_cells(basis, case_rows)
    cells = {cell for cell in cell_of.values() if cell and (only is None or cell in only)}
    victims, perpetrators, counted, _seen = counting.read_facts(
        cases, incident_basis=basis == BASIS_INCIDENT, detailed=True
    )
    people = defaultdict(lambda: ([], []))
    for victim in victims:
        people[(victim.day, victim.kecamatan)][0].append(victim)
    for perpetrator in perpetrators:
        people[(perpetrator.day, perpetrator.kecamatan)][1].append(perpetrator)

    found: dict[Cell, dict[tuple[str, str], list[int]]] = defaultdict(dict)
    for cell in cells:
        cell_victims, cell_perpetrators = people.get(cell, ([], []))
        if cell_victims:
            into = found[cell]
            into[(VICTIMS, "")] = [len(cell_victims), len({v.case_id for v in cell_victims})]
            into[(PERPETRATORS, "")] = [len(cell_perpetrators), len({p.case_id for p in cell_perpetrators})]
            for key in STORED:
                result = counting.tally(cell_victims, cell_perpetrators, key)
                for code, count in result.counts.items():
                    into[(key, code)] = [count, result.cases[code]]
    if basis == BASIS_REPORT:
        for pk, _opened_at, incident_date, _code in case_rows:
            cell = cell_of[pk]
            if incident_date is None and cell in cells:
                entry = found[cell].setdefault((UNDATED, ""), [0, 0])
                entry[0] += 1
                entry[1] += 1
    tasks = (
        CaseTask.objects.filter(case__in=cases.values("pk"), rule__in=DEADLINE_RULES, done_at__isnull=False)
        .exclude(outcome__in=SKIPPED)
        .values_list("case_id", "rule", "done_at", "due_at")
    )
    for case_id, rule, done_at, due_at in tasks:
        cell = cell_of.get(case_id)
        if case_id in counted and cell in cells:
            entry = found[cell].setdefault((DEADLINES, f"{rule}:{ON_TIME if done_at <= due_at else LATE}"), [0, 0])
            entry[0] += 1
    answered = (
        Referral.objects.filter(case__in=cases.values("pk"), responded_at__isnull=False)
        .exclude(status=ReferralStatus.REVOKED)
        .values_list("case_id", "responded_at", "due_at")
    )
    for case_id, responded_at, due_at in answered:
        cell = cell_of.get(case_id)
        if case_id in counted and cell in cells:
            entry = found[cell].setdefault((REFERRALS, ON_TIME if responded_at <= due_at else LATE), [0, 0])
            entry[0] += 1
    rows = [
        _row(basis, Grain.DAY, (day, kecamatan, dimension, code), count, case_count)
        for (day, kecamatan), entries in found.items()
        for (dimension, code), (count, case_count) in entries.items()
        if count
    ]
    return _Recount(rows, cells, counted, case_rows)


def _month_rows(basis: str, day_rows: Iterable[DailyTally]) -> list[DailyTally]:
    sums: dict[tuple, list[int]] = {}
    for row in day_rows:
        key = (row.day.replace(day=1), row.kecamatan, row.dimension, row.code)
        entry = sums.setdefault(key, [0, 0])
        entry[0] += row.count
        entry[1] += row.cases
    return [_row(basis, Grain.MONTH, key, n, c) for key, (n, c) in sums.items()]


def _row(basis: str, grain: str, key: tuple[dt.date, str, str, str], count: int, cases: int) -> DailyTally:
    day, kecamatan, dimension, code = key
    return DailyTally(
        basis=basis, grain=grain, day=day, kecamatan=kecamatan, dimension=dimension, code=code, count=count, cases=cases
    )


def _cell_query(basis: str, cells: Iterable[Cell]) -> Q:
    terms = []
    for day, kecamatan in cells:
        if basis == BASIS_REPORT:
            term = Q(
                opened_at__gte=counting._midnight(day), opened_at__lt=counting._midnight(day + dt.timedelta(days=1))
            )
        else:
            term = Q(incident_date=day)
        terms.append(term & (Q(kecamatan__code=kecamatan) if kecamatan else Q(kecamatan__isnull=True)))
    return reduce(or_, terms)


def _recount_cases(case_ids: set[int]) -> None:
    """Recount the days and kecamatan these cases were in and are in now, by both date bases."""
    new = list(Case.objects.filter(pk__in=case_ids).values_list("pk", "opened_at", "incident_date", "kecamatan__code"))
    old = CountedCase.objects.filter(case_id__in=case_ids)
    cells: dict[str, set[Cell]] = {basis: set() for basis in BASES}
    for basis in BASES:
        cells[basis] |= {cell for cell in _case_cells(basis, new).values() if cell}
    for entry in old:
        cells[BASIS_REPORT].add((entry.report_day, entry.kecamatan))
        if entry.incident_day:
            cells[BASIS_INCIDENT].add((entry.incident_day, entry.kecamatan))
    counted: frozenset[int] = frozenset()
    for basis, basis_cells in cells.items():
        if not basis_cells:
            continue
        recount = _recount(basis, Case.objects.filter(_cell_query(basis, basis_cells)), basis_cells)
        if basis == BASIS_REPORT:
            counted = recount.counted
        DailyTally.objects.filter(basis=basis, grain=Grain.DAY).filter(_tally_cells(basis_cells)).delete()
        DailyTally.objects.bulk_create(recount.rows, batch_size=1000)
        months = {(day.replace(day=1), kecamatan) for day, kecamatan in basis_cells}
        month_cells = Q()
        for first, kecamatan in months:
            month_cells |= Q(day__range=(first, _month_end(first.year, first.month)), kecamatan=kecamatan)
        sums = (
            DailyTally.objects.filter(month_cells, basis=basis, grain=Grain.DAY)
            .annotate(month=TruncMonth("day"))
            .values("month", "kecamatan", "dimension", "code")
            .annotate(n=Sum("count"), c=Sum("cases"))
            .values_list("month", "kecamatan", "dimension", "code", "n", "c")
        )
        DailyTally.objects.filter(
            reduce(or_, [Q(day=first, kecamatan=kecamatan) for first, kecamatan in months]),
            basis=basis,
            grain=Grain.MONTH,
        ).delete()
        DailyTally.objects.bulk_create(
            [
                _row(basis, Grain.MONTH, (_as_date(month), place, key, code), n, c)
                for month, place, key, code, n, c in sums
            ],
            batch_size=1000,
        )
    CountedCase.objects.filter(case_id__in=case_ids).delete()
    CountedCase.objects.bulk_create(_counted_cases(new, counted))


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _tally_cells(cells: Iterable[Cell]) -> Q:
    return reduce(or_, [Q(day=day, kecamatan=kecamatan) for day, kecamatan in cells])


def _counted_cases(case_rows, counted: frozenset[int]) -> list[CountedCase]:
    report = _case_cells(BASIS_REPORT, case_rows)
    return [
        CountedCase(
            case_id=pk,
            report_day=report[pk][0],
            incident_day=incident_date,
            kecamatan=code or "",
            counted=pk in counted,
        )
        for pk, _opened_at, incident_date, code in case_rows
    ]


def _rebuild_locked(progress=None) -> int:
    pending = list(PendingRecount.objects.values_list("pk", flat=True))
    DailyTally.objects.all().delete()
    CountedCase.objects.all().delete()
    total = 0
    for rows, counted_cases in _everything(progress):
        DailyTally.objects.bulk_create(rows, batch_size=2000)
        CountedCase.objects.bulk_create(counted_cases, batch_size=2000)
        total += len(counted_cases)
    for chunk in range(0, len(pending), 500):
        PendingRecount.objects.filter(pk__in=pending[chunk : chunk + 500]).delete()
    return total


def _everything(progress=None):
    """Every tally row and counted case, counted afresh a month at a time: (rows, counted cases) per month."""
    for basis in BASES:
        for start, end in _months_with_cases(basis):
            cases, _undated = counting.period_cases(Period(start, end, basis))
            recount = _recount(basis, cases)
            counted_cases = []
            if basis == BASIS_REPORT:
                counted_cases = _counted_cases(recount.case_rows, recount.counted)
            yield recount.rows + _month_rows(basis, recount.rows), counted_cases
            if progress:
                progress(basis, start)


def differences(limit: int = 20) -> list[str]:
    """Where the stored tallies differ from a fresh count (after folding the pending marks): empty when exact.
    Stored and fresh are read under the recount lock, in one snapshot, so a live database gives no false alarm."""
    recount_pending()
    with _exclusive():
        return _differences(limit)


def _differences(limit: int) -> list[str]:

    def key(row: DailyTally) -> tuple:
        return (row.basis, row.grain, row.day, row.kecamatan, row.dimension, row.code)

    expected: dict[tuple, tuple[int, int]] = {}
    expected_cases: dict[int, tuple] = {}
    for rows, counted_cases in _everything():
        expected.update((key(row), (row.count, row.cases)) for row in rows)
        expected_cases.update(
            (c.case_id, (c.report_day, c.incident_day, c.kecamatan, c.counted)) for c in counted_cases
        )
    stored = {key(row): (row.count, row.cases) for row in DailyTally.objects.iterator(chunk_size=5000)}
    stored_cases = {
        c.case_id: (c.report_day, c.incident_day, c.kecamatan, c.counted) for c in CountedCase.objects.iterator()
    }
    found = [
        f"{' '.join(map(str, k))}: stored {stored.get(k)}, counted {expected.get(k)}"
        for k in sorted(set(expected) | set(stored), key=str)
        if stored.get(k) != expected.get(k)
    ]
    found += [
        f"case {case_id}: stored {stored_cases.get(case_id)}, counted {expected_cases.get(case_id)}"
        for case_id in sorted(set(expected_cases) | set(stored_cases))
        if stored_cases.get(case_id) != expected_cases.get(case_id)
    ]
    return found[:limit]


def _months_with_cases(basis: str) -> list[tuple[dt.date, dt.date]]:
    if basis == BASIS_REPORT:
        bounds = Case.objects.aggregate(first=Min("opened_at"), last=Max("opened_at"))
        zone = timezone.get_default_timezone()
        first, last = (value.astimezone(zone).date() if value else None for value in bounds.values())
    else:
        bounds = Case.objects.aggregate(first=Min("incident_date"), last=Max("incident_date"))
        first, last = bounds["first"], bounds["last"]
    if first is None:
        return []
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((dt.date(year, month, 1), _month_end(year, month)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


# --- Reading --------------------------------------------------------------------------------------------


def _spans(period: Period) -> Q:
    """The period as whole months (month rows) and the days at either end (day rows)."""
    terms = []
    months: list[dt.date] = []
    day = period.start
    while day <= period.end:
        last = _month_end(day.year, day.month)
        if day.day == 1 and last <= period.end:
            months.append(day)
        else:
            terms.append(Q(grain=Grain.DAY, day__range=(day, min(last, period.end))))
        day = last + dt.timedelta(days=1)
    if months:
        terms.append(Q(grain=Grain.MONTH, day__range=(months[0], months[-1])))
    return reduce(or_, terms)


@dataclass
class Tallies:
    """The counts of one period (and kecamatan) from the stored tallies: what the dashboard shows, with the
    same interface as counting.Facts where the dashboard, press summary and monthly report read it."""

    period: Period
    kecamatan: str | None
    found: dict[str, counting.Tally]
    by_kecamatan: counting.Tally
    months: Counter  # child victims per (year, month)
    undated_cases: int

    @property
    def victim_count(self) -> int:
        return self.found[VICTIMS].counts[""]

    @property
    def case_count(self) -> int:
        return self.found[VICTIMS].cases[""]

    @property
    def perpetrator_count(self) -> int:
        return self.found[PERPETRATORS].counts[""]

    def breakdown(self, key: str) -> counting.Breakdown:
        if counting.UNITS[key] == counting.UNIT_PERPETRATORS:
            total, with_unit = self.perpetrator_count, self.found[PERPETRATORS].cases[""]
        else:
            total, with_unit = self.victim_count, self.case_count
        found = self.by_kecamatan if key == "kecamatan" else self.found[key]
        return counting.breakdown_of(key, found, total=total, case_total=self.case_count, cases_with_unit=with_unit)

    def deadlines_done(self) -> dict[str, tuple[int, int]]:
        """Per deadline rule: the counted cases' tasks done on time and done late."""
        counts = self.found[DEADLINES].counts
        return {rule: (counts[f"{rule}:{ON_TIME}"], counts[f"{rule}:{LATE}"]) for rule in DEADLINE_RULES}

    def by_month(self) -> Counter:
        return self.months

    def referrals_answered(self) -> tuple[int, int]:
        """The counted cases' referrals answered (not revoked): by their deadline, and after it."""
        counts = self.found[REFERRALS].counts
        return counts[ON_TIME], counts[LATE]

    def counted_case_ids(self) -> QuerySet:
        """The counted cases' ids as a query, for live counts (open tasks, referrals)."""
        day = "report_day" if self.period.basis == BASIS_REPORT else "incident_day"
        cases = CountedCase.objects.filter(counted=True, **{f"{day}__range": (self.period.start, self.period.end)})
        if self.kecamatan:
            cases = cases.filter(kecamatan=self.kecamatan)
        return cases.values("case_id")


def _current() -> None:
    """Outside reading(), fold what is pending first (the dashboard and the monthly report use reading())."""
    if not _reading.get():
        recount_pending()


def read(period: Period, *, kecamatan: str | None = None) -> Tallies:
    """The period's tallies, with every change committed so far folded in."""
    _current()
    rows = DailyTally.objects.filter(_spans(period), basis=period.basis)
    if kecamatan:
        rows = rows.filter(kecamatan=kecamatan)
    found: dict[str, counting.Tally] = defaultdict(counting.Tally)
    for dimension, code, count, cases in (
        rows.exclude(dimension__in=[VICTIMS, UNDATED])
        .values("dimension", "code")
        .annotate(n=Sum("count"), c=Sum("cases"))
        .values_list("dimension", "code", "n", "c")
    ):
        found[dimension].counts[code] = count
        found[dimension].cases[code] = cases
    by_kecamatan = counting.Tally()
    by_month: Counter = Counter()
    victims = found[VICTIMS]
    for kecamatan_code, day, count, cases in (
        rows.filter(dimension=VICTIMS)
        .values("kecamatan", "day")
        .annotate(n=Sum("count"), c=Sum("cases"))
        .values_list("kecamatan", "day", "n", "c")
    ):
        code = kecamatan_code or counting.UNKNOWN
        by_kecamatan.counts[code] += count
        by_kecamatan.cases[code] += cases
        by_month[(day.year, day.month)] += count
        victims.counts[""] += count
        victims.cases[""] += cases
    undated = 0
    if period.basis == BASIS_INCIDENT:
        undated_rows = DailyTally.objects.filter(_spans(period), basis=BASIS_REPORT, dimension=UNDATED)
        if kecamatan:
            undated_rows = undated_rows.filter(kecamatan=kecamatan)
        undated = undated_rows.aggregate(n=Sum("count"))["n"] or 0
    return Tallies(period, kecamatan, found, by_kecamatan, by_month, undated)


def victims_by_month(period: Period, *, kecamatan: str | None = None) -> Counter:
    """Child victims per (year, month) of the period: the trend's comparison year needs nothing else."""
    _current()
    rows = DailyTally.objects.filter(_spans(period), basis=period.basis, dimension=VICTIMS)
    if kecamatan:
        rows = rows.filter(kecamatan=kecamatan)
    result: Counter = Counter()
    for day, count in rows.values("day").annotate(n=Sum("count")).values_list("day", "n"):
        result[(day.year, day.month)] += count
    return result
