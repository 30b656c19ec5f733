"""What the staff dashboard shows for a period: every figure from counting.facts_for(), nothing else."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone

from perisai.cases.deadlines import POLICE_REPORT, TITLES
from perisai.stats import charts, counting
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
DEADLINE_RULES = ["first_contact", POLICE_REPORT]


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


def deadline_compliance(facts: counting.Facts) -> list[Compliance]:
    """Of the counted cases' deadline tasks, the share done by their deadline (a task cancelled because the
    case closed is left out). First contact: the office's service standard; police report: UU TPKS Pasal 41."""
    from perisai.cases.models import CaseTask

    now = timezone.now()
    tally = {rule: [0, 0, 0] for rule in DEADLINE_RULES}
    tasks = CaseTask.objects.filter(case_id__in=_counted(facts), rule__in=DEADLINE_RULES).exclude(outcome="cancelled")
    done = Q(done_at__isnull=False)
    counts = (
        tasks.order_by()
        .values("rule")
        .annotate(
            on_time=Count("pk", filter=done & Q(done_at__lte=F("due_at"))),
            late=Count("pk", filter=(done & Q(done_at__gt=F("due_at"))) | Q(done_at__isnull=True, due_at__lt=now)),
            waiting=Count("pk", filter=Q(done_at__isnull=True, due_at__gte=now)),
        )
    )
    for row in counts:
        tally[row["rule"]] = [row["on_time"], row["late"], row["waiting"]]
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

    Both come from perisai.referrals.selectors.response_times(), which /staf/rujukan/waktu-respons/ shows."""

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


def _counted(facts: counting.Facts):
    """The counted cases' ids as a subquery when the facts carry their query (a year: 100,000+ ids)."""
    return facts.counted_cases().values("pk") if facts.cases is not None else facts.case_ids


def referral_figures(facts: counting.Facts) -> ReferralFigures:
    from perisai.referrals.selectors import response_times

    of_cases = response_times(case_ids=_counted(facts))
    answered = sum(row["answered"] for row in of_cases)
    on_time = sum(row["in_time"] for row in of_cases)
    unanswered = sum(row["total"] for row in of_cases) - answered
    overdue = sum(row["overdue"] for row in of_cases)
    per_agency = [AgencyReferrals(str(row["agency"]), row["open"], row["overdue"]) for row in response_times()]
    return ReferralFigures(
        answered_on_time=on_time,
        answered_late=answered - on_time,
        unanswered_overdue=overdue,
        unanswered_waiting=unanswered - overdue,
        per_agency=per_agency,
        chart=charts.open_and_overdue([(row.agency, row.open, row.overdue) for row in per_agency]),
    )


@dataclass(frozen=True)
class Section:
    breakdown: counting.Breakdown
    chart: dict
    grouped: bool = False


def sections(facts: counting.Facts, *, grouped: bool) -> list[Section]:
    result = []
    for key in DASHBOARD_DIMENSIONS:
        if key == "hubungan" and grouped:
            key = "terdekat"
        data = counting.breakdown(facts, key)
        result.append(Section(data, charts.bars([(row.label, row.count) for row in data.rows]), key == "terdekat"))
    return result


def dashboard(period: Period, *, kecamatan: str | None, grouped: bool) -> dict:
    facts = counting.facts_for(period, kecamatan=kecamatan)
    # The year before is only shown as victims per month and in total: its victims are enough.
    earlier = counting.facts_for(period.years_earlier(), kecamatan=kecamatan, detailed=False)
    points = counting.monthly_trend(facts, earlier)
    by_kecamatan = counting.breakdown(facts, "kecamatan")
    return {
        "facts": facts,
        "earlier": earlier,
        "sections": sections(facts, grouped=grouped),
        "trend": points,
        "trend_chart": charts.trend(points) if len(points) <= 36 else None,
        "map": charts.kecamatan_map({row.code: row.count for row in by_kecamatan.rows}),
        "kecamatan_breakdown": by_kecamatan,
        "compliance": deadline_compliance(facts),
        "referrals": referral_figures(facts),
        "snapshot_at": timezone.localtime(),
    }
