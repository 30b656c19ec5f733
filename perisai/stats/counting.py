"""The single source of every number Perisai publishes. The public page, SIMFONI recap and exports count through
`facts_for()` and the breakdowns below; the dashboard, press summary and monthly report read stored tallies
(perisai.stats.tallies) made by `read_facts()` and `tally()` below. One set of rules, so they cannot disagree.

The rules (docs/statistics.md, shown on the pages):
- A case is in a period by its report date (the day the case was registered, `Case.opened_at`, local time)
  or, if asked, by its incident date; cases without an incident date are then left out and counted apart.
- Units are always named: kasus (cases), korban (victims), pelaku (perpetrators).
- Only children count: a victim under 18 at the incident (birth date, else the estimated age). A victim whose
  age is unknown is kept (the office registers children's cases) in the age band "tidak diketahui"; adults
  are left out, and so is a case whose victims are all adults.
- A victim with several violence types counts once per type and once in the victim total.
- A case is one row however often it was reopened, and reports merged into a case count once (as the case):
  cases are counted, never reports.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from operator import attrgetter
from typing import NamedTuple

from django.db.models import Count, F, Max, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perisai.cases import legal_stages
from perisai.cases.choices import CLOSE_RELATIONSHIPS
from perisai.cases.deadlines import POLICE_REPORT
from perisai.cases.models import Case, CaseTask, Perpetrator, Service, Victim
from perisai.core.simfoni import (
    PerpetratorRelationship,
    PlaceOfOccurrence,
    ServiceType,
    Sex,
    ViolenceType,
)
from perisai.referrals.selectors import referral_counts
from perisai.regions import selectors as regions
from perisai.reports.choices import Channel
from perisai.reports.models import Report
from perisai.stats.periods import BASIS_INCIDENT, MONTHS, Period

# The deadlines whose compliance the dashboard shows: the office's first contact (service standard) and the
# police report (UU TPKS Pasal 41). A task cancelled because the case closed first is left out.
DEADLINE_RULES = ["first_contact", POLICE_REPORT]
# Tasks that were neither kept nor missed: cancelled because the case closed first, or past their deadline
# before the case was entered after the fact (perisai.cases.deadlines).
SKIPPED_TASKS = ("cancelled", "not_applicable")

ADULT_AGE = 18
UNKNOWN = "na"
UNKNOWN_LABEL = _("Tidak diketahui")
# SIMFONI's children's age bands (years at the incident).
AGE_BANDS = [("0-5", 0, 5), ("6-12", 6, 12), ("13-17", 13, 17)]
CLOSE = "terdekat"
NOT_CLOSE = "lainnya"

UNIT_CASES = "kasus"
UNIT_VICTIMS = "korban"
UNIT_PERPETRATORS = "pelaku"
UNIT_LABELS = {UNIT_CASES: _("kasus"), UNIT_VICTIMS: _("korban"), UNIT_PERPETRATORS: _("pelaku")}


def age_band(age: int | None) -> str:
    if age is None:
        return UNKNOWN
    for code, low, high in AGE_BANDS:
        if low <= age <= high:
            return code
    return UNKNOWN


class VictimFact(NamedTuple):  # a tuple: a year has 100,000+ of them, built in one loop
    case_id: int
    day: dt.date  # the date that put the case in the period
    kecamatan: str  # Kemendagri code of the incident's kecamatan, "" if unknown
    place: str
    channel: str
    sex: str
    age: int | None
    types: tuple[str, ...]
    services: tuple[str, ...]

    @property
    def band(self) -> str:
        return age_band(self.age)


class PerpetratorFact(NamedTuple):
    case_id: int
    day: dt.date
    kecamatan: str
    sex: str
    relationship: str
    legal_stage: str

    @property
    def closeness(self) -> str:
        if self.relationship in CLOSE_RELATIONSHIPS:
            return CLOSE
        return UNKNOWN if self.relationship in ("", PerpetratorRelationship.UNKNOWN) else NOT_CLOSE


@dataclass
class Facts:
    """The counted victims and perpetrators of one period (and kecamatan, if chosen)."""

    period: Period
    kecamatan: str | None
    victims: list[VictimFact]
    perpetrators: list[PerpetratorFact]
    undated_cases: int = 0  # incident basis only: cases left out for want of an incident date
    case_ids: frozenset[int] = field(default_factory=frozenset)
    detailed: bool = True  # False: victims only (no channels, services or perpetrators read)
    # The period's cases as an unevaluated query, for further counts in SQL (never shown: repr would run it).
    cases: QuerySet | None = field(default=None, repr=False, compare=False)
    uncounted_case_ids: frozenset[int] = field(default_factory=frozenset)  # in the period, but no child victim

    def counted_cases(self) -> QuerySet:
        """The counted cases as a query (those of `case_ids`), to count their tasks or referrals in SQL without
        sending 100,000 ids: the period's cases with a victim, less the few whose victims are all adults."""
        if self.cases is None:
            raise ValueError("facts without their query (from within())")
        return self.cases.filter(pk__in=Victim.objects.values("case_id")).exclude(pk__in=self.uncounted_case_ids)

    @property
    def victim_count(self) -> int:
        return len(self.victims)

    @property
    def case_count(self) -> int:
        return len(self.case_ids)

    @property
    def perpetrator_count(self) -> int:
        return len(self.perpetrators)

    def breakdown(self, key: str) -> Breakdown:
        return breakdown(self, key)

    def by_month(self) -> Counter:
        return _by_month(self.victims)

    def deadlines_done(self) -> dict[str, tuple[int, int]]:
        """Per deadline rule: the counted cases' tasks done by their deadline, and done after it."""
        done = {rule: (0, 0) for rule in DEADLINE_RULES}
        tasks = CaseTask.objects.filter(
            case_id__in=self.counted_case_ids(), rule__in=DEADLINE_RULES, done_at__isnull=False
        )
        for rule, on_time, late in (
            tasks.exclude(outcome__in=SKIPPED_TASKS)
            .order_by()
            .values("rule")
            .annotate(
                on_time=Count("pk", filter=Q(done_at__lte=F("due_at"))),
                late=Count("pk", filter=Q(done_at__gt=F("due_at"))),
            )
            .values_list("rule", "on_time", "late")
        ):
            done[rule] = (on_time, late)
        return done

    def referrals_answered(self) -> tuple[int, int]:
        """The counted cases' referrals answered (not revoked): by their deadline, and after it."""
        rows = referral_counts(case_ids=self.counted_case_ids())
        in_time = sum(row["in_time"] for row in rows)
        return in_time, sum(row["answered"] for row in rows) - in_time

    def adult_women(self) -> int:
        """Women victims (18 or older at the incident) of the period's cases: never in the children's figures,
        reported apart as SIMFONI-PPA counts women and children apart. One query, for the recap only."""
        if self.cases is None:
            return 0
        rows = Victim.objects.filter(case__in=self.cases.values("pk"), sex=Sex.FEMALE).values_list(
            "birth_date", "estimated_age", "case__incident_date"
        )
        return sum(1 for birth, estimated, incident in rows if (_age(birth, estimated, incident) or 0) >= ADULT_AGE)

    def counted_case_ids(self):
        """The counted cases' ids: a subquery when the facts carry their query (a year: 100,000+ ids)."""
        return self.counted_cases().values("pk") if self.cases is not None else self.case_ids

    def within(self, period: Period) -> Facts:
        """The part of these facts in a sub-period (a quarter or a month of the year counted)."""
        victims = [v for v in self.victims if period.contains(v.day)]
        return Facts(
            period=period,
            kecamatan=self.kecamatan,
            victims=victims,
            perpetrators=[p for p in self.perpetrators if period.contains(p.day)],
            case_ids=frozenset(v.case_id for v in victims),
            detailed=self.detailed,
        )


def facts_for(period: Period, *, kecamatan: str | None = None, detailed: bool = True) -> Facts:
    """Read the period's cases once and turn them into facts. No names, no identities: codes and dates only.

    The related rows are selected by the period's filter as a subquery (not by a list of case ids: at 100,000
    cases a year that list is the slowest part of the query, and SQLite refuses more than 32,766 parameters),
    and read as narrow tuples. `detailed=False` reads only the victims (for a comparison period, where only
    victim totals by day are shown): channels and services are then empty and perpetrators are not read."""
    cases, undated = period_cases(period, kecamatan=kecamatan)
    incident_basis = period.basis == BASIS_INCIDENT
    victims, perpetrators, counted, seen = read_facts(cases, incident_basis=incident_basis, detailed=detailed)
    return Facts(
        period=period,
        kecamatan=kecamatan,
        victims=victims,
        perpetrators=perpetrators,
        undated_cases=undated.count() if undated is not None else 0,
        case_ids=counted,
        detailed=detailed,
        cases=cases,
        uncounted_case_ids=seen - counted,
    )


def period_cases(period: Period, *, kecamatan: str | None = None) -> tuple[QuerySet, QuerySet | None]:
    """The cases the period's date puts in it, and (incident basis) those registered in it without an
    incident date, which are left out and counted apart."""
    # The report date is a range on opened_at from local midnight to local midnight, the same days the case
    # list's "dibuka sejak/sampai" filter selects, so a number's link lists exactly the cases counted.
    opened = {"opened_at__gte": _midnight(period.start), "opened_at__lt": _midnight(period.end + dt.timedelta(days=1))}
    cases = Case.objects.all()
    if period.basis == BASIS_INCIDENT:
        undated = cases.filter(incident_date__isnull=True, **opened)
        cases = cases.filter(incident_date__range=(period.start, period.end))
    else:
        undated = None
        cases = cases.filter(**opened)
    if kecamatan:
        cases = cases.filter(kecamatan__code=kecamatan)
        undated = undated.filter(kecamatan__code=kecamatan) if undated is not None else None
    return cases, undated


def read_facts(
    cases: QuerySet, *, incident_basis: bool, detailed: bool = True
) -> tuple[list[VictimFact], list[PerpetratorFact], frozenset[int], frozenset[int]]:
    """The facts of the given cases: (victims, perpetrators, counted case ids, ids of the cases with a victim).

    Shared by facts_for() and the stored tallies (perisai.stats.tallies), so both apply the same rules."""
    in_period = cases.values("pk")
    channels: dict[int, str] = {}
    services: dict[int, set[str]] = {}
    if detailed:
        for case_id, channel in (
            Report.objects.filter(case__in=in_period).order_by("received_at").values_list("case_id", "channel")
        ):
            channels.setdefault(case_id, channel)
        for victim_id, service_type in Service.objects.filter(victim__case__in=in_period).values_list(
            "victim_id", "service_type"
        ):
            services.setdefault(victim_id, set()).add(service_type)

    victims = []
    period_cases: set[int] = set()
    by_case: dict[int, tuple[dt.date, str]] = {}
    # The violence types as JSON text, decoded once per distinct combination (a few dozen), not per victim.
    types_of: dict[str | None, tuple[str, ...]] = {}
    rows = (
        Victim.objects.filter(case__in=in_period)
        .annotate(types_json=Cast("violence_types", TextField()))
        .order_by("pk")
        .values_list(
            "pk",
            "case_id",
            "sex",
            "birth_date",
            "estimated_age",
            "types_json",
            "case__opened_at",
            "case__incident_date",
            "case__kecamatan__code",
            "case__place",
        )
    )
    zone = timezone.get_default_timezone()  # once: timezone.localtime() per row costs a context-local lookup
    for pk, case_id, sex, birth_date, estimated_age, types, opened_at, incident_date, code, place in rows:
        period_cases.add(case_id)
        age = _age(birth_date, estimated_age, incident_date)
        if age is not None and age >= ADULT_AGE:
            continue
        case = by_case.get(case_id)
        if case is None:
            day = incident_date if incident_basis else opened_at.astimezone(zone).date()
            case = by_case[case_id] = (day, code or "")
        victims.append(
            VictimFact(
                case_id,
                case[0],
                case[1],
                place or "",
                channels.get(case_id, ""),
                sex or "",
                age,
                types_of[types] if types in types_of else types_of.setdefault(types, _types(types)),
                tuple(sorted(services[pk])) if pk in services else (),
            )
        )
    perpetrators = []
    if detailed:
        for case_id, sex, relationship, legal_stage in (
            Perpetrator.objects.filter(case__in=in_period)
            .order_by("pk")
            .values_list("case_id", "sex", "relationship", "legal_stage")
        ):
            if case_id in by_case:
                day, code = by_case[case_id]
                perpetrators.append(
                    PerpetratorFact(
                        case_id,
                        day,
                        code,
                        sex or "",
                        relationship or PerpetratorRelationship.UNKNOWN,
                        legal_stage or "",
                    )
                )
    return victims, perpetrators, frozenset(by_case), frozenset(period_cases)


def latest_report_day(before: dt.date) -> dt.date | None:
    """The local day of the latest case registered before `before`: pages open on the latest period with data,
    not on an empty current year."""
    latest = Case.objects.filter(opened_at__lt=_midnight(before)).aggregate(latest=Max("opened_at"))["latest"]
    return timezone.localtime(latest).date() if latest else None


def _midnight(day: dt.date) -> dt.datetime:
    # The office's time zone (settings.TIME_ZONE), never a reader's: stored tallies are kept by these days.
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


def _types(raw: str | None) -> tuple[str, ...]:
    return tuple(sorted(set(json.loads(raw) or []))) if raw else ()


def _age(birth_date: dt.date | None, estimated: int | None, incident: dt.date | None) -> int | None:
    """Age at the incident: from the birth date when both dates are known, else the estimate recorded."""
    if birth_date and incident:
        years = incident.year - birth_date.year
        return years - ((incident.month, incident.day) < (birth_date.month, birth_date.day))
    return estimated


# --- Breakdowns -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dimension:
    key: str
    title: str
    unit: str  # what is counted: korban or pelaku (cases are given alongside victims where they apply)
    categories: list[tuple[str, str]]  # (code, label) in display order; UNKNOWN last
    multi: bool = False  # one victim may fall in several categories
    public: bool = False  # shown on the public page
    note: str = ""


def _labelled(choices) -> list[tuple[str, str]]:
    return [(code, label) for code, label in choices if code != ""]


def _kecamatan_categories() -> list[tuple[str, str]]:
    return [(k.code, k.name) for k in regions.kecamatan_of_city()]


def dimension(key: str) -> Dimension:
    """One dimension, without the database reads the others need (the kecamatan list, the legal stages): a
    page shows a dozen breakdowns, each looking up its own."""
    return dimensions(only=key)[key]


def dimensions(*, only: str | None = None) -> dict[str, Dimension]:
    """Every dimension in display order. With `only`, the categories read from the database are read for that
    dimension alone (the others get none): use dimension(key)."""
    unknown = [(UNKNOWN, UNKNOWN_LABEL)]
    kecamatan = _kecamatan_categories() if only in (None, "kecamatan") else []
    stages = legal_stages.stage_choices(include_inactive=True) if only in (None, "proses_hukum") else []
    return {
        d.key: d
        for d in [
            Dimension(
                "jenis",
                _("Jenis kekerasan"),
                UNIT_VICTIMS,
                _labelled(ViolenceType.choices),
                multi=True,
                public=True,
                note=_(
                    "Satu korban dapat mengalami lebih dari satu jenis kekerasan; jumlah per jenis dapat "
                    "melebihi jumlah korban."
                ),
            ),
            Dimension(
                "kecamatan",
                _("Kecamatan tempat kejadian"),
                UNIT_VICTIMS,
                kecamatan + unknown,
                public=True,
            ),
            Dimension(
                "usia",
                _("Kelompok usia saat kejadian"),
                UNIT_VICTIMS,
                [(code, f"{code} th") for code, _lo, _hi in AGE_BANDS] + unknown,
                public=True,
            ),
            Dimension(
                "kelamin", _("Jenis kelamin korban"), UNIT_VICTIMS, _labelled(Sex.choices) + unknown, public=True
            ),
            Dimension(
                "hubungan",
                _("Hubungan pelaku dengan korban"),
                UNIT_PERPETRATORS,
                _labelled(PerpetratorRelationship.choices),
                public=True,
            ),
            Dimension(
                "terdekat",
                _("Pelaku orang terdekat korban"),
                UNIT_PERPETRATORS,
                [
                    (CLOSE, _("Orang terdekat (orang tua, keluarga, tetangga, guru, pacar/teman)")),
                    (NOT_CLOSE, _("Lainnya")),
                    (UNKNOWN, UNKNOWN_LABEL),
                ],
            ),
            Dimension("tempat", _("Tempat kejadian"), UNIT_VICTIMS, _labelled(PlaceOfOccurrence.choices) + unknown),
            Dimension("saluran", _("Saluran laporan"), UNIT_VICTIMS, _labelled(Channel.choices) + unknown),
            Dimension(
                "layanan",
                _("Layanan yang diberikan"),
                UNIT_VICTIMS,
                _labelled(ServiceType.choices),
                multi=True,
                note=_("Korban yang menerima layanan tersebut; satu korban dapat menerima beberapa layanan."),
            ),
            Dimension("kelamin_pelaku", _("Jenis kelamin pelaku"), UNIT_PERPETRATORS, _labelled(Sex.choices) + unknown),
            Dimension(
                "proses_hukum",
                _("Tahap proses hukum pelaku"),
                UNIT_PERPETRATORS,
                [*stages, (UNKNOWN, _("Belum ada / tidak dicatat"))],
            ),
        ]
    }


# What each victim dimension reads: one value, or several (MULTI_VALUED).
_VICTIM_VALUE = {
    "jenis": attrgetter("types"),
    "kecamatan": attrgetter("kecamatan"),
    "usia": attrgetter("band"),
    "kelamin": attrgetter("sex"),
    "tempat": attrgetter("place"),
    "saluran": attrgetter("channel"),
    "layanan": attrgetter("services"),
}
MULTI_VALUED = {"jenis", "layanan"}
# The unit of every dimension, without building dimensions()' labels (tallies are made per day and kecamatan).
UNITS = {
    **dict.fromkeys(["jenis", "kecamatan", "usia", "kelamin", "tempat", "saluran", "layanan"], UNIT_VICTIMS),
    **dict.fromkeys(["hubungan", "terdekat", "kelamin_pelaku", "proses_hukum"], UNIT_PERPETRATORS),
}
NEEDS_DETAIL = {"saluran", "layanan"}  # not read by facts_for(detailed=False)


def victim_keys(dimension: str, victim: VictimFact) -> tuple[str, ...]:
    value = _VICTIM_VALUE[dimension](victim)
    if dimension in MULTI_VALUED:
        return tuple(v or UNKNOWN for v in value)
    return (value or UNKNOWN,)


def perpetrator_key(dimension: str, perpetrator: PerpetratorFact) -> str:
    value = {
        "hubungan": perpetrator.relationship,
        "terdekat": perpetrator.closeness,
        "kelamin_pelaku": perpetrator.sex,
        "proses_hukum": perpetrator.legal_stage,
    }[dimension]
    return value or UNKNOWN


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    count: int  # in the dimension's unit
    cases: int | None = None  # the cases with at least one such victim (or perpetrator)


@dataclass(frozen=True)
class Breakdown:
    dimension: Dimension
    rows: list[Row]
    total: int  # people in the unit counted (not the sum of rows when `multi`)
    case_total: int | None = None  # victim dimensions: the counted cases (shown beside the rows)
    cases_with_unit: int = 0  # the cases with at least one person counted in the unit

    @property
    def unit_label(self) -> str:
        return str(UNIT_LABELS[self.dimension.unit])

    @property
    def largest(self) -> int:
        return max((row.count for row in self.rows), default=0)

    def row(self, code: str) -> Row | None:
        return next((row for row in self.rows if row.code == code), None)


@dataclass
class Tally:
    """Raw counts of one dimension: people per code and distinct cases per code. Tallies of disjoint sets of
    cases add up (a case is in exactly one day and kecamatan), which is what lets perisai.stats.tallies store
    them per day and kecamatan and sum them for any period."""

    counts: Counter = field(default_factory=Counter)
    cases: Counter = field(default_factory=Counter)


def tally(victims: list[VictimFact], perpetrators: list[PerpetratorFact], key: str) -> Tally:
    """People per code of one dimension, and the cases with at least one such person."""
    result = Tally()
    counts, cases = result.counts, result.cases
    seen: dict[str, set[int]] = {}
    if UNITS[key] == UNIT_PERPETRATORS:
        for perpetrator in perpetrators:
            code = perpetrator_key(key, perpetrator)
            counts[code] += 1
            seen.setdefault(code, set()).add(perpetrator.case_id)
    elif key in MULTI_VALUED:
        # One loop per dimension over 100,000+ victims a year: kept tight (no per-victim tuples or lookups).
        value = _VICTIM_VALUE[key]
        for victim in victims:
            for code in {v or UNKNOWN for v in value(victim)}:
                counts[code] += 1
                seen.setdefault(code, set()).add(victim.case_id)
    else:
        value = _VICTIM_VALUE[key]
        for victim in victims:
            code = value(victim) or UNKNOWN
            counts[code] += 1
            if code in seen:
                seen[code].add(victim.case_id)
            else:
                seen[code] = {victim.case_id}
    for code, ids in seen.items():
        cases[code] = len(ids)
    return result


def breakdown_of(key: str, found: Tally, *, total: int, case_total: int, cases_with_unit: int) -> Breakdown:
    """The rows shown for a dimension, from its raw tally: every category in display order, then the rest."""
    shown = dimension(key)
    victims = shown.unit == UNIT_VICTIMS
    rows = [
        Row(code, str(label), found.counts.get(code, 0), found.cases.get(code, 0)) for code, label in shown.categories
    ]
    return Breakdown(
        shown,
        _with_strays(rows, found.counts, shown),
        total,
        case_total if victims else None,
        cases_with_unit,
    )


def breakdown(facts: Facts, key: str) -> Breakdown:
    dimension_unit = UNITS[key]
    if not facts.detailed and (key in NEEDS_DETAIL or dimension_unit == UNIT_PERPETRATORS):
        raise ValueError(f"{key} needs facts_for(detailed=True)")
    found = tally(facts.victims, facts.perpetrators, key)
    if dimension_unit == UNIT_PERPETRATORS:
        total, with_unit = facts.perpetrator_count, len({p.case_id for p in facts.perpetrators})
    else:
        total, with_unit = facts.victim_count, facts.case_count
    return breakdown_of(key, found, total=total, case_total=facts.case_count, cases_with_unit=with_unit)


def _with_strays(rows: list[Row], counts: Counter, dimension: Dimension) -> list[Row]:
    """Codes outside today's list (a kecamatan of another city, a retired category) are still counted."""
    known = {code for code, _label in dimension.categories}
    strays = sum(count for code, count in counts.items() if code not in known)
    if not strays:
        return rows
    return [*rows, Row("lain", str(_("Kategori lain")), strays)]


@dataclass(frozen=True)
class TrendPoint:
    year: int
    month: int
    victims: int
    victims_year_before: int

    @property
    def label(self) -> str:
        return f"{MONTHS[self.month - 1]} {self.year}"


def monthly_trend(facts: Facts, earlier: Facts) -> list[TrendPoint]:
    """Victims month by month, beside the same month a year earlier (`earlier` = facts of that period)."""
    return trend(facts.period, _by_month(facts.victims), _by_month(earlier.victims))


def trend(period: Period, now: Counter, before: Counter) -> list[TrendPoint]:
    """Trend points from victims per (year, month) of the period and of the year before it."""
    return [TrendPoint(y, m, now.get((y, m), 0), before.get((y - 1, m), 0)) for y, m in period.months()]


def _by_month(victims: list[VictimFact]) -> Counter:
    by_day = Counter(v.day for v in victims)  # a few hundred days, not 100,000 victims
    months: Counter = Counter()
    for day, count in by_day.items():
        months[(day.year, day.month)] += count
    return months


def cross(facts: Facts, rows: str, columns: str) -> dict[tuple[str, str], int]:
    """Victims counted by two single-valued dimensions at once (e.g. age band x sex for SIMFONI)."""
    return Counter((victim_keys(rows, v)[0], victim_keys(columns, v)[0]) for v in facts.victims)
