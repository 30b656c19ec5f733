"""The single source of every number Perisai publishes: dashboard, press summary, public page, SIMFONI recap,
monthly report and exports all count through `facts_for()` and the breakdowns below, so they cannot disagree.

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
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perisai.cases import legal_stages
from perisai.cases.choices import CLOSE_RELATIONSHIPS
from perisai.core.simfoni import (
    PerpetratorRelationship,
    PlaceOfOccurrence,
    ServiceType,
    Sex,
    ViolenceType,
)
from perisai.reports.choices import Channel
from perisai.stats.periods import BASIS_INCIDENT, Period

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


@dataclass(frozen=True)
class VictimFact:
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


@dataclass(frozen=True)
class PerpetratorFact:
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

    @property
    def victim_count(self) -> int:
        return len(self.victims)

    @property
    def case_count(self) -> int:
        return len(self.case_ids)

    @property
    def perpetrator_count(self) -> int:
        return len(self.perpetrators)

    def within(self, period: Period) -> Facts:
        """The part of these facts in a sub-period (a quarter or a month of the year counted)."""
        victims = [v for v in self.victims if period.contains(v.day)]
        return Facts(
            period=period,
            kecamatan=self.kecamatan,
            victims=victims,
            perpetrators=[p for p in self.perpetrators if period.contains(p.day)],
            case_ids=frozenset(v.case_id for v in victims),
        )


def facts_for(period: Period, *, kecamatan: str | None = None) -> Facts:
    """Read the period's cases once and turn them into facts. No names, no identities: codes and dates only."""
    from perisai.cases.models import Case, Perpetrator, Service, Victim
    from perisai.reports.models import Report

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
    rows = {row["pk"]: row for row in cases.values("pk", "opened_at", "incident_date", "kecamatan__code", "place")}
    channels: dict[int, str] = {}
    for report in Report.objects.filter(case_id__in=rows).order_by("received_at").values("case_id", "channel"):
        channels.setdefault(report["case_id"], report["channel"])
    services: dict[int, set[str]] = {}
    for service in Service.objects.filter(victim__case_id__in=rows).values("victim_id", "service_type"):
        services.setdefault(service["victim_id"], set()).add(service["service_type"])

    victims = []
    for victim in (
        Victim.objects.filter(case_id__in=rows)
        .order_by("pk")
        .values("pk", "case_id", "sex", "birth_date", "estimated_age", "violence_types")
    ):
        case = rows[victim["case_id"]]
        age = _age(victim["birth_date"], victim["estimated_age"], case["incident_date"])
        if age is not None and age >= ADULT_AGE:
            continue
        victims.append(
            VictimFact(
                case_id=victim["case_id"],
                day=_day(case, period.basis),
                kecamatan=case["kecamatan__code"] or "",
                place=case["place"] or "",
                channel=channels.get(victim["case_id"], ""),
                sex=victim["sex"] or "",
                age=age,
                types=tuple(sorted(set(victim["violence_types"] or []))),
                services=tuple(sorted(services.get(victim["pk"], ()))),
            )
        )
    counted = frozenset(v.case_id for v in victims)
    perpetrators = [
        PerpetratorFact(
            case_id=p["case_id"],
            day=_day(rows[p["case_id"]], period.basis),
            kecamatan=rows[p["case_id"]]["kecamatan__code"] or "",
            sex=p["sex"] or "",
            relationship=p["relationship"] or PerpetratorRelationship.UNKNOWN,
            legal_stage=p["legal_stage"] or "",
        )
        for p in Perpetrator.objects.filter(case_id__in=counted)
        .order_by("pk")
        .values("case_id", "sex", "relationship", "legal_stage")
    ]
    return Facts(
        period=period,
        kecamatan=kecamatan,
        victims=victims,
        perpetrators=perpetrators,
        undated_cases=undated.count() if undated is not None else 0,
        case_ids=counted,
    )


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _day(case: dict, basis: str) -> dt.date:
    if basis == BASIS_INCIDENT:
        return case["incident_date"]
    return timezone.localtime(case["opened_at"]).date()


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
    from perisai.regions import selectors as regions

    return [(k.code, k.name) for k in regions.kecamatan_of_city()]


def dimensions() -> dict[str, Dimension]:
    unknown = [(UNKNOWN, UNKNOWN_LABEL)]
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
                _kecamatan_categories() + unknown,
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
                [*legal_stages.stage_choices(include_inactive=True), (UNKNOWN, _("Belum ada / tidak dicatat"))],
            ),
        ]
    }


def victim_keys(dimension: str, victim: VictimFact) -> tuple[str, ...]:
    value = {
        "jenis": victim.types,
        "kecamatan": (victim.kecamatan,),
        "usia": (victim.band,),
        "kelamin": (victim.sex,),
        "tempat": (victim.place,),
        "saluran": (victim.channel,),
        "layanan": victim.services,
    }[dimension]
    return tuple(v or UNKNOWN for v in value)


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
    cases: int | None = None  # for victim dimensions: the cases with at least one such victim


@dataclass(frozen=True)
class Breakdown:
    dimension: Dimension
    rows: list[Row]
    total: int  # people in the unit counted (not the sum of rows when `multi`)
    case_total: int | None = None

    @property
    def unit_label(self) -> str:
        return str(UNIT_LABELS[self.dimension.unit])

    @property
    def largest(self) -> int:
        return max((row.count for row in self.rows), default=0)


def breakdown(facts: Facts, key: str) -> Breakdown:
    dimension = dimensions()[key]
    if dimension.unit == UNIT_PERPETRATORS:
        counts = Counter(perpetrator_key(key, p) for p in facts.perpetrators)
        rows = [Row(code, str(label), counts.get(code, 0)) for code, label in dimension.categories]
        return Breakdown(dimension, _with_strays(rows, counts, dimension), facts.perpetrator_count)
    counts: Counter = Counter()
    cases: dict[str, set[int]] = {}
    for victim in facts.victims:
        for code in set(victim_keys(key, victim)):
            counts[code] += 1
            cases.setdefault(code, set()).add(victim.case_id)
    rows = [
        Row(code, str(label), counts.get(code, 0), len(cases.get(code, ()))) for code, label in dimension.categories
    ]
    return Breakdown(dimension, _with_strays(rows, counts, dimension), facts.victim_count, facts.case_count)


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
        from perisai.stats.periods import MONTHS

        return f"{MONTHS[self.month - 1]} {self.year}"


def monthly_trend(facts: Facts, earlier: Facts) -> list[TrendPoint]:
    """Victims month by month, beside the same month a year earlier (`earlier` = facts of that period)."""
    now = Counter((v.day.year, v.day.month) for v in facts.victims)
    before = Counter((v.day.year, v.day.month) for v in earlier.victims)
    return [TrendPoint(y, m, now.get((y, m), 0), before.get((y - 1, m), 0)) for y, m in facts.period.months()]


def cross(facts: Facts, rows: str, columns: str) -> dict[tuple[str, str], int]:
    """Victims counted by two single-valued dimensions at once (e.g. age band x sex for SIMFONI)."""
    return Counter((victim_keys(rows, v)[0], victim_keys(columns, v)[0]) for v in facts.victims)
