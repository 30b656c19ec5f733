"""Writes for regions. Region data only ever arrives as whole Kemendagri files, checked before writing."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from perisai.accounts import policies
from perisai.audit.choices import AuditAction
from perisai.audit.services import audit_record
from perisai.regions import loading, selectors
from perisai.regions.loading import LoadResult
from perisai.regions.models import Region
from perisai.regions.parsing import RegionFileInvalid

if TYPE_CHECKING:
    from perisai.accounts.models import User

__all__ = ["LoadResult", "RegionFileInvalid", "regions_load_csv"]


def regions_load_csv(*, actor: User | None, source: str | os.PathLike | Iterable[str]) -> LoadResult:
    """Loads a `code,name,level,parent_code` file: all rows or none.

    `source` is a path, or the file's lines (an open text file, a list of strings). Every row is checked
    first; any problem raises RegionFileInvalid listing each bad row by line number, and nothing is written.
    Loading the same file again changes nothing. actor=None is the system (migrations, an operator's
    management command). A missing path raises OSError as usual.
    """
    if actor is not None and not policies.can_manage_reference_data(actor):
        raise PermissionDenied
    if isinstance(source, str | os.PathLike):
        # utf-8-sig: files saved from spreadsheet programs often start with a byte-order mark.
        with open(source, encoding="utf-8-sig", newline="") as lines:
            return _load(actor, lines)
    return _load(actor, source)


def _load(actor: User | None, lines: Iterable[str]) -> LoadResult:
    try:
        with transaction.atomic():
            result = loading.load_regions(Region, lines)
            transaction.on_commit(selectors.forget_cached_regions)
            audit_record(
                actor=actor,
                action=AuditAction.REGIONS_LOADED,
                extra={"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
            )
            return result
    except UnicodeDecodeError as exc:
        raise RegionFileInvalid([_("Berkas bukan teks UTF-8; simpan ulang sebagai CSV UTF-8.")]) from exc
