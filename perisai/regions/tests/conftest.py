"""Fixtures for region tests: CSV files written to tmp_path, and a snapshot of the region table."""

from __future__ import annotations

from pathlib import Path

import pytest

from perisai.regions.models import Region


@pytest.fixture
def write_csv(tmp_path):
    """write_csv(text) -> Path of a UTF-8 file holding exactly that text."""
    counter = iter(range(1, 1000))

    def write(text: str, *, encoding: str = "utf-8") -> Path:
        path = tmp_path / f"wilayah_{next(counter)}.csv"
        path.write_bytes(text.encode(encoding))
        return path

    return write


@pytest.fixture
def region_snapshot(db):
    """region_snapshot() -> every region's code, name, level, parent and aliases, to prove nothing changed."""

    def snapshot() -> list[tuple]:
        return list(Region.objects.order_by("code").values_list("code", "name", "level", "parent__code", "aliases"))

    return snapshot
