"""Possible duplicates shown before a report becomes a new case, each with the reason it matched.

Names are encrypted, so exact matches go through the blind index (with Indonesian name variants folded
together: Muhammad / Moh. / M.), and similar names are compared after decrypting only the victims in the
same kecamatan: a city has a few hundred open cases, not millions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.utils.translation import gettext as _

from perisai.cases.models import Case, Victim
from perisai.core.fields import normalize_person_name

SIMILAR = 0.8


@dataclass
class Candidate:
    case: Case
    reasons: list[str] = field(default_factory=list)


def possible_duplicates(report) -> list[Candidate]:
    found: dict[int, Candidate] = {}

    def add(case: Case, reason: str) -> None:
        found.setdefault(case.pk, Candidate(case)).reasons.append(reason)

    name = normalize_person_name(report.child_name or "")
    if name:
        index = Victim._meta.get_field("name_index").index_for(report.child_name)
        for victim in Victim.objects.filter(name_index=index).select_related("case"):
            add(victim.case, _("nama anak sama"))
    if report.kecamatan_id:
        nearby = Victim.objects.filter(case__kecamatan=report.kecamatan_id).select_related("case")
        for victim in nearby:
            other = normalize_person_name(victim.name)
            if name and other != name and SequenceMatcher(None, name, other).ratio() >= SIMILAR:
                add(victim.case, _("nama anak mirip"))
            if (
                report.child_age is not None
                and victim.estimated_age is not None
                and abs(report.child_age - victim.estimated_age) <= 1
                and report.kelurahan_id
                and victim.kelurahan_id == report.kelurahan_id
            ):
                add(victim.case, _("usia ±1 tahun dan kelurahan sama"))
    if report.kelurahan_id:
        since = report.received_at - dt.timedelta(days=60)
        for case in Case.objects.filter(kelurahan=report.kelurahan_id, opened_at__gte=since):
            add(case, _("kelurahan sama dalam 60 hari terakhir"))
    return sorted(found.values(), key=lambda c: (-len(c.reasons), -c.case.opened_at.timestamp()))
