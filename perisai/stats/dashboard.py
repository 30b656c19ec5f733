"""What the staff dashboard shows for a period: every figure from counting.facts_for(), nothing else."""

from __future__ import annotations

from dataclasses import dataclass

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
    tasks = CaseTask.objects.filter(case_id__in=facts.case_ids, rule__in=DEADLINE_RULES).exclude(outcome="cancelled")
    for task in tasks.values("rule", "due_at", "done_at"):
        counts = tally[task["rule"]]
        if task["done_at"] is not None:
            counts[0 if task["done_at"] <= task["due_at"] else 1] += 1
        elif task["due_at"] < now:
            counts[1] += 1
        else:
            counts[2] += 1
    return [Compliance(rule, str(TITLES[rule]), *tally[rule]) for rule in DEADLINE_RULES]


@dataclass(frozen=True)
class AgencyReferrals:
    agency: str
    open: int
    overdue: int


@dataclass(frozen=True)
class ReferralFigures:
    """What the dashboard shows about referrals once they exist (issue #6): the share answered by the agency's
    deadline, and open and overdue referrals per agency (unit: rujukan)."""

    answered_on_time: int
    answered_late: int
    per_agency: list[AgencyReferrals]

    @property
    def percent(self) -> int | None:
        decided = self.answered_on_time + self.answered_late
        return round(100 * self.answered_on_time / decided) if decided else None


def referral_figures(facts: counting.Facts) -> ReferralFigures | None:
    """None until the referrals app (issue #6, built in parallel) has its models: the dashboard then shows
    "belum tersedia". Fill this in from the referrals selectors, for the referrals of `facts.case_ids`."""
    return None


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
    earlier = counting.facts_for(period.years_earlier(), kecamatan=kecamatan)
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
    }
