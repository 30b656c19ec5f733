"""What the staff dashboard shows for a period: every figure from the stored tallies (perisai.stats.tallies),
which count by the same rules as counting.facts_for() (tests hold them equal), plus the few figures that
change with time alone (open deadline tasks, referrals), counted live."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from perisai.cases.deadlines import TITLES
from perisai.cases.models import CaseTask
from perisai.referrals.selectors import referral_snapshot, referrals_unanswered
from perisai.stats import charts, counting, coverage, tallies
from perisai.stats.counting import DEADLINE_RULES
from perisai.stats.periods import Period

# Kecamatan has its own section, with the map.
DASHBOARD_DIMENSIONS = [
    "jenis",
    "usia",
    "kelamin",
    "hubungan",
    "tempat",
    "saluran",
    "layanan",
    "proses_hukum",
    "kelamin_pelaku",
]


@dataclass(frozen=True)
class Compliance:
    rule: str
    title: str
    on_time: int
    late: int
    waiting: int  # not done and not yet due: not counted in the share

    @property
    def decided(self) -> int:
        return self.on_time + self.late

    @property
    def percent(self) -> int | None:
        return round(100 * self.on_time / self.decided) if self.decided else None


def deadline_compliance(figures: counting.Facts | tallies.Tallies) -> list[Compliance]:
    """Of the counted cases' deadline tasks, the share done by their deadline (a task cancelled because the
    case closed is left out). First contact: the office's service standard; police report: UU TPKS Pasal 41.
    Tasks done are counted in the figures; open ones live, as they turn late with the clock alone."""
    now = timezone.now()
    done = figures.deadlines_done()
    tally = {rule: [*done[rule], 0] for rule in DEADLINE_RULES}
    # Open tasks are never cancelled ones: closing a case sets done_at on the tasks it cancels.
    open_tasks = (
        CaseTask.objects.filter(case_id__in=figures.counted_case_ids(), rule__in=DEADLINE_RULES, done_at__isnull=True)
        .order_by()
        .values("rule")
        # due_at, not pk: every column read is in cases_task_open_rule_idx, so the rows themselves are not read.
        .annotate(late=Count("due_at", filter=Q(due_at__lt=now)), waiting=Count("due_at", filter=Q(due_at__gte=now)))
        .values_list("rule", "late", "waiting")
    )
    for rule, late, waiting in open_tasks:
        tally[rule][1] += late
        tally[rule][2] = waiting
    return [Compliance(rule, str(TITLES[rule]), *tally[rule]) for rule in DEADLINE_RULES]


@dataclass(frozen=True)
class AgencyReferrals:
    agency: str
    open: int  # sent or accepted, now
    overdue: int  # sent, not answered, past the answer deadline, now


@dataclass(frozen=True)
class ReferralFigures:
    """Referrals on the dashboard (unit: rujukan; revoked referrals are not counted).

    - Of the counted cases' referrals, whenever sent: answered (accepted or declined) by the agency's answer
      deadline or after it; the share is of those answered. Not yet answered ones are given beside it.
    - Open and overdue referrals per agency now, for all of the office's cases: a snapshot, not the period.

    Counted by the same rules as perisai.referrals.selectors.referral_counts(), which counts the page
    /staf/rujukan/waktu-respons/; test_referral_figures holds them equal."""

    answered_on_time: int
    answered_late: int
    unanswered_overdue: int  # not answered, past the deadline: not in the share
    unanswered_waiting: int  # not answered, not yet due
    per_agency: list[AgencyReferrals]
    chart: dict

    @property
    def answered(self) -> int:
        return self.answered_on_time + self.answered_late

    @property
    def percent(self) -> int | None:
        return round(100 * self.answered_on_time / self.answered) if self.answered else None

    @property
    def open_total(self) -> int:
        return sum(row.open for row in self.per_agency)

    @property
    def overdue_total(self) -> int:
        return sum(row.overdue for row in self.per_agency)


def referral_figures(figures: counting.Facts | tallies.Tallies) -> ReferralFigures:
    on_time, late = figures.referrals_answered()  # fixed once answered: stored with the tallies
    overdue, waiting = referrals_unanswered(case_ids=figures.counted_case_ids())  # turn late with the clock
    per_agency = [AgencyReferrals(str(row["agency"]), row["open"], row["overdue"]) for row in referral_snapshot()]
    return ReferralFigures(
        answered_on_time=on_time,
        answered_late=late,
        unanswered_overdue=overdue,
        unanswered_waiting=waiting,
        per_agency=per_agency,
        chart=charts.open_and_overdue([(row.agency, row.open, row.overdue) for row in per_agency]),
    )


@dataclass(frozen=True)
class Section:
    breakdown: counting.Breakdown
    chart: dict
    grouped: bool = False


def sections(figures: counting.Facts | tallies.Tallies, *, grouped: bool) -> list[Section]:
    result = []
    for key in DASHBOARD_DIMENSIONS:
        if key == "hubungan" and grouped:
            key = "terdekat"
        data = figures.breakdown(key)
        result.append(Section(data, charts.bars([(row.label, row.count) for row in data.rows]), key == "terdekat"))
    return result


@dataclass(frozen=True)
class Earlier:
    """The same period a year earlier: shown only as victims per month and in total."""

    period: Period
    months: Counter

    @property
    def victim_count(self) -> int:
        return sum(self.months.values())


def figures_for(period: Period, *, kecamatan: str | None, current: bool) -> counting.Facts | tallies.Tallies:
    """The period's figures from the stored tallies, or counted afresh while they are catching up."""
    return tallies.read(period, kecamatan=kecamatan) if current else counting.facts_for(period, kecamatan=kecamatan)


def victims_by_month(period: Period, *, kecamatan: str | None, current: bool) -> Counter:
    if current:
        return tallies.victims_by_month(period, kecamatan=kecamatan)
    return counting.facts_for(period, kecamatan=kecamatan, detailed=False).by_month()


def dashboard(period: Period, *, kecamatan: str | None, grouped: bool, exact_places: bool = False) -> dict:
    with tallies.reading() as current:  # every figure below from one state of the data
        figures = figures_for(period, kecamatan=kecamatan, current=current)
        earlier_period = period.years_earlier()
        earlier = Earlier(earlier_period, victims_by_month(earlier_period, kecamatan=kecamatan, current=current))
        points = counting.trend(period, figures.by_month(), earlier.months)
        by_kecamatan = figures.breakdown("kecamatan")
        return {
            "facts": figures,
            "earlier": earlier,
            "sections": sections(figures, grouped=grouped),
            "trend": points,
            "trend_chart": charts.trend(points) if len(points) <= 36 else None,
            "map": charts.kecamatan_map({row.code: row.count for row in by_kecamatan.rows}),
            "kecamatan_breakdown": by_kecamatan,
            "compliance": deadline_compliance(figures),
            "coverage": coverage.coverage(
                period, kecamatan=kecamatan, case_ids=figures.counted_case_ids(), exact=exact_places
            ),
            "referrals": referral_figures(figures),
            "snapshot_at": timezone.localtime(),
        }
