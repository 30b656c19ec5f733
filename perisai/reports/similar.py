"""Reports still in the inbox that may be about the same child or event as another, each with its reasons.

Two people often report the same thing minutes apart (a neighbour and a teacher; a parent by phone and by web).
Compared among open reports only, and only within a week of each other: the inbox holds dozens of reports, so
names are decrypted for the few in the same kecamatan, never for the whole table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from perisai.core.fields import normalize_person_name
from perisai.reports.choices import UNTRIAGED
from perisai.reports.models import Report

WINDOW = dt.timedelta(days=7)
CLOSE_IN_TIME = dt.timedelta(hours=48)
SIMILAR_NAME = 0.8
HINTS_SHOWN = 3  # the inbox names a few; the triage page lists them all


@dataclass
class Similar:
    report: Report
    reasons: list[str] = field(default_factory=list)


def open_reports() -> QuerySet[Report]:
    """The inbox's reports that can be compared (merged ones already belong to another)."""
    return Report.objects.filter(status__in=UNTRIAGED, case__isnull=True, merged_into__isnull=True)


def reasons_between(one: Report, other: Report, *, names: bool = True) -> list[str]:
    reasons = []
    apart = abs(one.received_at - other.received_at)
    if one.kelurahan_id and one.kelurahan_id == other.kelurahan_id and apart <= CLOSE_IN_TIME:
        hours = int(apart.total_seconds() // 3600)
        reasons.append(
            ngettext("kelurahan sama, selang %(n)s jam", "kelurahan sama, selang %(n)s jam", hours) % {"n": hours}
            if hours
            else _("kelurahan sama, selang kurang dari 1 jam")
        )
    if one.kecamatan_id and one.kecamatan_id == other.kecamatan_id and set(one.harms) & set(other.harms):
        reasons.append(_("kejadian serupa di kecamatan yang sama"))
    if one.child_name_index and one.child_name_index == other.child_name_index:
        reasons.append(_("nama anak sama"))
    elif names and one.kecamatan_id and one.kecamatan_id == other.kecamatan_id:
        mine, theirs = normalize_person_name(one.child_name), normalize_person_name(other.child_name)
        if mine and theirs and SequenceMatcher(None, mine, theirs).ratio() >= SIMILAR_NAME:
            reasons.append(_("nama anak mirip"))
    if (
        one.child_age is not None
        and other.child_age is not None
        and abs(one.child_age - other.child_age) <= 1
        and one.kecamatan_id
        and one.kecamatan_id == other.kecamatan_id
        and reasons
    ):
        reasons.append(_("usia anak ±1 tahun"))
    return reasons


def shares_reason(one: Report, other: Report) -> bool:
    """Whether reasons_between(one, other, names=False) gives any reason, without wording them: the inbox asks this
    of every listed report against hundreds of others and shows only the codes."""
    if one.kelurahan_id and one.kelurahan_id == other.kelurahan_id:
        if abs(one.received_at - other.received_at) <= CLOSE_IN_TIME:
            return True
    if one.kecamatan_id and one.kecamatan_id == other.kecamatan_id and not set(one.harms).isdisjoint(other.harms):
        return True
    # The child's age only ever adds to another reason.
    return bool(one.child_name_index) and one.child_name_index == other.child_name_index


def similar_open_reports(report: Report) -> list[Similar]:
    """For the triage page: open reports near this one in time that share a place, harms or a name."""
    nearby = (
        open_reports()
        .exclude(pk=report.pk)
        .filter(received_at__range=(report.received_at - WINDOW, report.received_at + WINDOW))
        .select_related("kecamatan", "kelurahan")
    )
    found = [Similar(other, reasons) for other in nearby if (reasons := reasons_between(report, other))]
    return sorted(found, key=lambda item: (-len(item.reasons), item.report.received_at))


def inbox_hints(reports: list[Report], among: list[Report] | None = None) -> dict[int, list[Report]]:
    """For the inbox: report id -> the reports of `among` (default: the listed ones) it may duplicate (place and
    time, harms, same name), at most HINTS_SHOWN each. Similar spellings are left to the triage page, which decrypts
    the few names it needs."""
    among = reports if among is None else among
    # Every reason needs the same kelurahan, kecamatan or child's name index: each report is compared only with the
    # reports that share one, in `among`'s order.
    keys = ("kelurahan_id", "kecamatan_id", "child_name_index")
    sharing: dict[tuple[str, object], list[int]] = {}
    for position, other in enumerate(among):
        for key in keys:
            if value := getattr(other, key):
                sharing.setdefault((key, value), []).append(position)
    hints: dict[int, list[Report]] = {}
    for one in reports:
        candidates = {position for key in keys for position in sharing.get((key, getattr(one, key)), ())}
        for position in sorted(candidates):
            other = among[position]
            if other.pk == one.pk or abs(one.received_at - other.received_at) > WINDOW:
                continue
            if shares_reason(one, other):
                found = hints.setdefault(one.pk, [])
                found.append(other)
                if len(found) >= HINTS_SHOWN:
                    break
    return hints
