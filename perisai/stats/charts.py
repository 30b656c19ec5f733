"""Chart geometry for server-side SVG (templates draw it): bars, the monthly trend, the kecamatan map and maps
shaded by class (prevention coverage by kelurahan).

Colours are SVG presentation attributes (fill=...), never style attributes, which the CSP blocks.
Every chart sits beside a table with the same numbers, so it is never the only way to read them.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from perisai.stats.periods import MONTHS_SHORT

BRAND = "#0b5560"
EARLIER = "#8a99a6"
OVERDUE = "#a4262c"  # 6.9:1 on white
# Map shades, light to dark (each with text that stays readable on it).
SHADES = ["#f3f6f7", "#cfe3e6", "#9cc7cd", "#5a9ea7", "#0b5560"]
GEOJSON = Path(__file__).resolve().parent / "data" / "cilegon_kecamatan.geojson"

BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 120
BAR_AREA = 140
CHART_WIDTH = LABEL_WIDTH + BAR_AREA + 30


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: float
    text_y: int
    value_x: float


def bars(rows: list[tuple[str, int]]) -> dict:
    largest = max((value for _label, value in rows), default=0) or 1
    items = []
    for index, (label, value) in enumerate(rows):
        y = index * (BAR_HEIGHT + BAR_GAP)
        short = label if len(label) <= 18 else label[:17] + "…"
        width = round(BAR_AREA * value / largest, 1)
        items.append(Bar(short, value, y, width, y + 16, LABEL_WIDTH + width + 5))
    return {
        "bars": items,
        "width": CHART_WIDTH,
        "height": max(len(rows) * (BAR_HEIGHT + BAR_GAP), BAR_HEIGHT),
        "label_width": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 6,
        "fill": BRAND,
    }


@dataclass(frozen=True)
class PartBar:
    label: str
    value: int
    part: int
    y: int
    width: float
    part_width: float
    text_y: int
    value_x: float


def open_and_overdue(rows: list[tuple[str, int, int]]) -> dict:
    """One bar per row (e.g. open referrals of an agency) with the part of it that is overdue drawn over its
    start in another colour; the value says both numbers, so colour is not the only way to read them."""
    largest = max((value for _label, value, _part in rows), default=0) or 1
    items = []
    for index, (label, value, part) in enumerate(rows):
        y = index * (BAR_HEIGHT + BAR_GAP)
        short = label if len(label) <= 18 else label[:17] + "…"
        width = round(BAR_AREA * value / largest, 1)
        part_width = round(BAR_AREA * part / largest, 1)
        items.append(PartBar(short, value, part, y, width, part_width, y + 16, LABEL_WIDTH + width + 5))
    return {
        "bars": items,
        "width": CHART_WIDTH + 40,  # room for "12 (3)"
        "height": max(len(rows) * (BAR_HEIGHT + BAR_GAP), BAR_HEIGHT),
        "label_width": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 6,
        "fill": BRAND,
        "part_fill": OVERDUE,
    }


@dataclass(frozen=True)
class MonthBars:
    label: str
    x: float
    now_x: float
    now: int
    before: int
    now_y: float
    now_h: float
    before_y: float
    before_h: float


def trend(points) -> dict:
    """Grouped columns per month: this period (dark) and the same month a year earlier (grey)."""
    height, top, slot = 160, 20, 44
    largest = max([p.victims for p in points] + [p.victims_year_before for p in points] + [1])
    months = []
    for index, point in enumerate(points):
        now_h = height * point.victims / largest
        before_h = height * point.victims_year_before / largest
        months.append(
            MonthBars(
                label=f"{MONTHS_SHORT[point.month - 1]} {str(point.year)[2:]}",
                x=index * slot + 6,
                now_x=index * slot + 22,
                now=point.victims,
                before=point.victims_year_before,
                now_y=round(top + height - now_h, 1),
                now_h=round(now_h, 1),
                before_y=round(top + height - before_h, 1),
                before_h=round(before_h, 1),
            )
        )
    return {
        "months": months,
        "width": max(len(points) * slot + 12, 200),
        "height": top + height + 40,
        "baseline": top + height,
        "label_y": top + height + 16,
        "fill": BRAND,
        "earlier_fill": EARLIER,
    }


@cache
def _features() -> list[dict]:
    return json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    value: int
    path: str
    fill: str
    label_x: float
    label_y: float


def _projection(features: list[dict], width: int):
    """Equirectangular, corrected for latitude: (xy(lng, lat) -> (x, y), height) for a map `width` wide."""
    points = [pt for f in features for ring in _rings(f) for pt in ring]
    min_lng, max_lng = min(p[0] for p in points), max(p[0] for p in points)
    min_lat, max_lat = min(p[1] for p in points), max(p[1] for p in points)
    stretch = math.cos(math.radians((min_lat + max_lat) / 2))
    scale = (width - 20) / ((max_lng - min_lng) * stretch)
    height = round((max_lat - min_lat) * scale) + 20

    def xy(lng: float, lat: float) -> tuple[float, float]:
        return round(10 + (lng - min_lng) * stretch * scale, 1), round(10 + (max_lat - lat) * scale, 1)

    return xy, height


def _path(feature: dict, xy) -> str:
    rings = []
    for ring in _rings(feature):
        points: list[tuple[float, float]] = []
        for point in (xy(*pt) for pt in ring):
            if not points or point != points[-1]:  # at this scale many survey points fall on one spot
                points.append(point)
        rings.append("M" + " L".join(f"{x},{y}" for x, y in points) + " Z")
    return " ".join(rings)


def kecamatan_map(counts: dict[str, int], *, width: int = 400) -> dict:
    """The kecamatan polygons, projected and shaded by count."""
    features = _features()
    xy, height = _projection(features, width)
    largest = max(counts.values(), default=0)
    areas = []
    for feature in features:
        props = feature["properties"]
        value = counts.get(props["code"], 0)
        label_x, label_y = xy(props["centroid_lng"], props["centroid_lat"])
        areas.append(
            Area(props["code"], props["name"], value, _path(feature, xy), _shade(value, largest), label_x, label_y)
        )
    return {"areas": areas, "width": width, "height": height, "legend": _legend(largest)}


@dataclass(frozen=True)
class ClassArea:
    code: str
    name: str
    path: str
    fill: str
    label: str  # the class in words, read by screen readers and shown on hover


@dataclass(frozen=True)
class Outline:
    """Polygons projected for a map `width` wide: (code, name, SVG path) each, and the map's height."""

    shapes: tuple[tuple[str, str, str], ...]
    width: int
    height: int


def outline(features: list[dict], *, width: int = 400) -> Outline:
    xy, height = _projection(features, width)
    shapes = tuple((f["properties"]["code"], f["properties"]["name"], _path(f, xy)) for f in features)
    return Outline(shapes, width, height)


def class_map(shape: Outline, classes: dict[str, tuple[str, str]]) -> dict:
    """Projected polygons (outline()) filled by class: {code: (fill, label)}; an area with no class is left blank."""
    areas = []
    for code, name, path in shape.shapes:
        fill, label = classes.get(code, ("#ffffff", ""))
        areas.append(ClassArea(code, name, path, fill, label))
    return {"areas": areas, "width": shape.width, "height": shape.height}


def _rings(feature: dict) -> list[list[list[float]]]:
    geometry = feature["geometry"]
    if geometry["type"] == "Polygon":
        return geometry["coordinates"][:1]
    return [polygon[0] for polygon in geometry["coordinates"]]


def _shade(value: int, largest: int) -> str:
    if value <= 0 or largest <= 0:
        return SHADES[0]
    step = math.ceil(value / largest * (len(SHADES) - 1))
    return SHADES[max(1, min(step, len(SHADES) - 1))]


def _legend(largest: int) -> list[tuple[str, str]]:
    if largest <= 0:
        return [(SHADES[0], "0")]
    legend = [(SHADES[0], "0")]
    steps = len(SHADES) - 1
    low = 1
    for step in range(1, steps + 1):
        high = math.floor(largest * step / steps)
        if high >= low:
            legend.append((SHADES[step], f"{low}–{high}" if high > low else str(low)))
            low = high + 1
    return legend
