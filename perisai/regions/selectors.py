"""Reads for regions: the office's city and its kecamatan and kelurahan, always looked up by code."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType

from django.conf import settings
from django.db.models import QuerySet

from perisai.regions.choices import RegionLevel
from perisai.regions.models import Region

VILLAGE_LEVELS = (RegionLevel.KELURAHAN, RegionLevel.DESA)


def city_code() -> str:
    """The kota/kabupaten this installation serves (settings.PERISAI_CITY_CODE, Cilegon by default)."""
    return settings.PERISAI_CITY_CODE


def region_by_code(code: str) -> Region | None:
    return Region.objects.select_related("parent").filter(code=code.strip()).first()


def kecamatan_of_city(code: str | None = None) -> QuerySet[Region]:
    """The kecamatan of the given kota/kabupaten (default: this installation's city), by code."""
    return Region.objects.filter(parent__code=code or city_code(), level=RegionLevel.KECAMATAN).order_by("code")


def kelurahan_of(kecamatan_code: str) -> QuerySet[Region]:
    """The kelurahan and desa of one kecamatan, by code."""
    return Region.objects.filter(parent__code=kecamatan_code, level__in=VILLAGE_LEVELS).order_by("code")


def regions_named(name: str, *, within: str | None = None) -> list[Region]:
    """Regions of the city whose name or alias matches, ignoring case.

    "Grogol" must find both kecamatan Gerogol (by its alias) and kelurahan Grogol, so that a form can ask
    which one is meant instead of guessing. Filtered in Python because JSON containment lookups are not
    available on SQLite, and a city has only a few dozen regions.
    """
    wanted = name.strip().casefold()
    prefix = within or city_code()
    candidates = Region.objects.filter(code__startswith=f"{prefix}.").order_by("code")
    return [
        region
        for region in candidates
        if wanted and wanted in {region.name.casefold(), *(alias.casefold() for alias in region.aliases)}
    ]


@cache
def city_choices(code: str) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, tuple[tuple[str, str], ...]], ...]]:
    """Kecamatan choices and kelurahan choices grouped by kecamatan, for forms. Cached per process: regions
    change only by migration or load_regions, which clears this cache (forms were re-querying 9 times per
    request)."""
    kecamatan = list(kecamatan_of_city(code))
    villages = Region.objects.filter(parent__in=kecamatan, level__in=VILLAGE_LEVELS).order_by("code")
    by_parent: dict[int, list[tuple[str, str]]] = {}
    for village in villages:
        by_parent.setdefault(village.parent_id, []).append((village.code, village.name))
    return (
        tuple((k.code, k.name) for k in kecamatan),
        tuple((k.name, tuple(by_parent.get(k.pk, []))) for k in kecamatan),
    )


@cache
def city_regions(code: str) -> Mapping[str, Region]:
    """The kecamatan of a city and their kelurahan and desa by code, each village with its parent set: the regions a
    form offers (city_choices), read once per process and cleared with it, so that resolving a form's choice costs
    no query (the report form was spending two on every submission)."""
    kecamatan = list(kecamatan_of_city(code))
    by_pk = {region.pk: region for region in kecamatan}
    by_code = {region.code: region for region in kecamatan}
    for village in Region.objects.filter(parent__in=kecamatan, level__in=VILLAGE_LEVELS):
        village.parent = by_pk[village.parent_id]
        by_code[village.code] = village
    return MappingProxyType(by_code)


def city_region(code: str) -> Region | None:
    """A kecamatan, kelurahan or desa of this installation's city by code (city_regions), or None. A copy: what the
    caller does with it never reaches the next request."""
    region = city_regions(city_code()).get(code.strip())
    return copy.copy(region) if region is not None else None


def forget_cached_regions() -> None:
    """After the regions' table changed (regions.services): the next form reads it again."""
    city_choices.cache_clear()
    city_regions.cache_clear()


KELURAHAN_BOUNDARIES = Path(__file__).resolve().parent / "static" / "regions" / "cilegon_kelurahan.geojson"


@cache
def kelurahan_boundaries() -> tuple[dict, ...]:
    """The kelurahan polygons of the city (GeoJSON features with code, name and centroid; data/README.md gives
    the source), read once per process. For maps drawn on the server: no tiles, no outside requests."""
    return tuple(json.loads(KELURAHAN_BOUNDARIES.read_text(encoding="utf-8"))["features"])
