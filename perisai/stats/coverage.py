"""Prevention beside cases (issue 17): per kelurahan, the period's counted cases against the prevention activities
held there, so the office sees where many cases meet little outreach.

Cases are the dashboard's counted cases (the same period, basis and kecamatan), placed by the case's kelurahan;
activities are counted by the day they were held. The classes are plain comparisons an officer can check by hand:
no weighting, no population figures (the office has none per kelurahan that it trusts)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from perisai.cases.models import Case
from perisai.prevention import selectors as prevention
from perisai.regions import selectors as regions
from perisai.stats import charts
from perisai.stats.periods import Period

# (key, fill, label), most urgent first: the table is sorted in this order. Colours differ in lightness too, and
# every area's class is also written in the table and in the area's title.
CLASSES = [
    ("gap", "#a4262c", _("Ada kasus, belum ada kegiatan pencegahan"), _("Belum ada kegiatan")),
    ("low", "#e8a33d", _("Kegiatan lebih sedikit dari kasus"), _("Kurang kegiatan")),
    ("covered", "#5a9ea7", _("Kegiatan sebanding atau lebih banyak dari kasus"), _("Sebanding")),
    ("prevention_only", "#cfe3e6", _("Ada kegiatan, belum ada kasus"), _("Hanya kegiatan")),
    ("none", "#ffffff", _("Belum ada kasus maupun kegiatan"), _("Belum ada")),
]
ORDER = {key: index for index, (key, *_rest) in enumerate(CLASSES)}
FILLS = {key: (fill, label) for key, fill, label, _short in CLASSES}
SMALL = 2  # counts from 1 to SMALL are shown as a range to those who may not see identities
SHORT = {key: short for key, _fill, _label, short in CLASSES}


def coverage_class(cases: int, activities: int) -> str:
    if cases and not activities:
        return "gap"
    if cases:
        return "low" if activities < cases else "covered"
    return "prevention_only" if activities else "none"


@dataclass(frozen=True)
class KelurahanCoverage:
    code: str
    name: str
    kecamatan: str
    cases: int
    activities: int
    participants: int
    groups: int
    key: str
    cases_shown: str  # what the table prints: the count, or "1 to 2" for those who may not see identities

    @property
    def label(self) -> str:
        return str(FILLS[self.key][1])

    @property
    def short_label(self) -> str:
        return str(SHORT[self.key])

    @property
    def fill(self) -> str:
        return FILLS[self.key][0]


def coverage(period: Period, *, kecamatan: str | None, case_ids, exact: bool) -> dict:
    """Rows (most urgent first), the map, the legend, the period's totals, and cases without a kelurahan.

    A kelurahan, a short period and the dashboard's other breakdowns together can point to one child. Unless
    `exact` (those who may see identities: stats.policies), restricted cases are left out, as in every record an
    analyst takes out (stats.policies.record_scope), and a count of one or two is shown as the range 1 to 2."""
    places = regions.city_regions(regions.city_code())
    villages = [
        region
        for region in places.values()
        if region.level in regions.VILLAGE_LEVELS and (not kecamatan or region.parent.code == kecamatan)
    ]
    counted = Case.objects.filter(pk__in=case_ids)
    if not exact:
        counted = counted.filter(restricted=False)
    case_rows = counted.order_by().values("kelurahan__code").annotate(count=Count("pk"))
    cases = {row["kelurahan__code"]: row["count"] for row in case_rows}
    activities = prevention.activity_coverage(start=period.start, end=period.end, kecamatan=kecamatan)
    groups = prevention.active_groups_by_kelurahan()
    rows = []
    for village in villages:
        count, people = activities.get(village.code, (0, 0))
        here = cases.get(village.code, 0)
        rows.append(
            KelurahanCoverage(
                code=village.code,
                name=village.name,
                kecamatan=village.parent.name,
                cases=here,
                activities=count,
                participants=people,
                groups=groups.get(village.code, 0),
                key=coverage_class(here, count),
                cases_shown=str(here) if exact or here == 0 or here > SMALL else f"1–{SMALL}",
            )
        )
    rows.sort(key=lambda row: (ORDER[row.key], -row.cases, row.activities, row.name))
    shape = _kelurahan_outline(frozenset(village.code for village in villages))
    classes = {row.code: (FILLS[row.key][0], f"{row.name}: {row.label}") for row in rows}
    present = {row.key for row in rows}
    return {
        "rows": rows,
        "map": charts.class_map(shape, classes) if shape is not None else None,
        "legend": [(fill, label) for key, fill, label, _short in CLASSES if key in present],
        "activities": sum(row.activities for row in rows),
        "participants": sum(row.participants for row in rows),
        "cases_without_kelurahan": cases.get(None, 0),
        "summary": prevention.patbm_summary(start=period.start, end=period.end, kecamatan=kecamatan),
    }


@lru_cache(maxsize=16)
def _kelurahan_outline(codes: frozenset[str]) -> charts.Outline | None:
    """The shown kelurahan's polygons, projected once per process and set of kelurahan (the whole city, or one
    kecamatan's): the boundaries never change while the process runs, and projecting them was a sixth of the
    dashboard's CPU (bench/staff_pages.py)."""
    features = [f for f in regions.kelurahan_boundaries() if f["properties"]["code"] in codes]
    return charts.outline(features) if features else None
