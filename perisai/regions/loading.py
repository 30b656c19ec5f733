"""Writes checked region rows through whichever Region model class the caller passes.

Takes the model as a parameter instead of importing it, so that data migrations can pass the historical
model (`apps.get_model("regions", "Region")`) and keep working when the live model changes. Callers own
the transaction: services.regions_load_csv wraps it in one, a migration runs inside its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import batched, groupby

from perisai.regions.parsing import AliasRow, RegionRow, parse_alias_rows, parse_region_rows

# Keeps every `code IN (...)` under SQLite's bound-parameter limit when a whole province is loaded.
BATCH_SIZE = 500


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


def existing_codes(model, codes: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for chunk in batched(sorted(set(codes)), BATCH_SIZE):
        found.update(model.objects.filter(code__in=chunk).values_list("code", flat=True))
    return found


def _by_code(model, codes: Iterable[str]) -> dict:
    found = {}
    for chunk in batched(sorted(set(codes)), BATCH_SIZE):
        found.update((region.code, region) for region in model.objects.filter(code__in=chunk))
    return found


def write_regions(model, rows: list[RegionRow]) -> LoadResult:
    """Creates new codes and updates existing ones in place (name, level, parent); aliases are kept."""
    regions = _by_code(model, {row.code for row in rows} | {row.parent_code for row in rows if row.parent_code})
    created = updated = unchanged = 0

    def depth(row: RegionRow) -> int:
        return row.code.count(".")

    # Level by level, so that every parent has a primary key before its children point to it.
    for _depth, group in groupby(sorted(rows, key=lambda row: (depth(row), row.code)), key=depth):
        new, changed = [], []
        for row in group:
            parent_id = regions[row.parent_code].pk if row.parent_code else None
            region = regions.get(row.code)
            if region is None:
                new.append(model(code=row.code, name=row.name, level=row.level, parent_id=parent_id))
            elif (region.name, region.level, region.parent_id) == (row.name, row.level, parent_id):
                unchanged += 1
            else:
                region.name, region.level, region.parent_id = row.name, row.level, parent_id
                changed.append(region)
        model.objects.bulk_create(new, batch_size=BATCH_SIZE)
        model.objects.bulk_update(changed, ["name", "level", "parent"], batch_size=BATCH_SIZE)
        # Re-read rather than trust bulk_create to fill in primary keys: not every backend does.
        regions.update(_by_code(model, [region.code for region in new]))
        created, updated = created + len(new), updated + len(changed)
    return LoadResult(created=created, updated=updated, unchanged=unchanged)


def write_aliases(model, rows: list[AliasRow]) -> int:
    """Adds each alias unless the region already has it (ignoring case); returns how many were added."""
    regions = _by_code(model, {row.code for row in rows})
    changed, added = {}, 0
    for row in rows:
        region = regions[row.code]
        if row.alias.casefold() not in {alias.casefold() for alias in region.aliases}:
            region.aliases = [*region.aliases, row.alias]
            changed[region.code] = region
            added += 1
    model.objects.bulk_update(changed.values(), ["aliases"], batch_size=BATCH_SIZE)
    return added


def load_regions(model, lines: Iterable[str]) -> LoadResult:
    """Checks the whole `code,name,level,parent_code` file, then writes it; raises RegionFileInvalid."""
    rows = parse_region_rows(lines, codes_in_db=lambda codes: existing_codes(model, codes))
    return write_regions(model, rows)


def load_aliases(model, lines: Iterable[str]) -> int:
    rows = parse_alias_rows(lines, codes_in_db=lambda codes: existing_codes(model, codes))
    return write_aliases(model, rows)
