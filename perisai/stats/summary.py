"""The press summary: the Indonesian sentence a head of office reads out, built from the same facts as the
dashboard. Each number can carry a link to the case list that produces it (for those the case policy lets
see records); the list shows cases, so the link says so."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from perisai.core.simfoni import ViolenceType
from perisai.stats import counting
from perisai.stats.periods import BASIS_REPORT

# "kekerasan seksual", but "eksploitasi" and "penelantaran" stand on their own in a press release.
TYPE_WORDS = {
    ViolenceType.PHYSICAL: "kekerasan fisik",
    ViolenceType.PSYCHOLOGICAL: "kekerasan psikis",
    ViolenceType.SEXUAL: "kekerasan seksual",
    ViolenceType.EXPLOITATION: "eksploitasi",
    ViolenceType.TRAFFICKING: "perdagangan orang (trafficking)",
    ViolenceType.NEGLECT: "penelantaran",
    ViolenceType.OTHER: "kekerasan lainnya",
}


@dataclass(frozen=True)
class Segment:
    text: str
    link: str = ""  # a number's case-list link, empty for plain text
    title: str = ""


@dataclass(frozen=True)
class PressSummary:
    segments: list[Segment]

    @property
    def text(self) -> str:
        return "".join(segment.text for segment in self.segments)


def case_list_link(facts: counting.Facts, **filters: str) -> str:
    """The case list filtered to the counted period (report basis only: the list filters by opening date)."""
    if facts.period.basis != BASIS_REPORT:
        return ""
    query = {
        "semua": "1",
        "opened_from": facts.period.start.isoformat(),
        "opened_to": facts.period.end.isoformat(),
    }
    if facts.kecamatan:
        query["kecamatan"] = facts.kecamatan
    query.update(filters)
    return reverse("cases:list") + "?" + urlencode(query)


def press_summary(facts: counting.Facts, *, place: str, with_links: bool) -> PressSummary:
    def number(value: int, *, title: str = "daftar kasus yang menghasilkan angka ini", **filters: str) -> Segment:
        link = case_list_link(facts, **filters) if with_links else ""
        return Segment(str(value), link, title if link else "")

    period = facts.period.label
    if not facts.victim_count:
        return PressSummary([Segment(f"{period}: tidak ada anak korban kekerasan yang tercatat di {place}.")])
    segments = [
        Segment(f"{period}: "),
        number(facts.victim_count),
        Segment(f" anak menjadi korban kekerasan di {place}"),
    ]
    types = [row for row in counting.breakdown(facts, "jenis").rows if row.count]
    types.sort(key=lambda row: -row.count)
    if types:
        segments.append(Segment("; terbanyak "))
        for index, row in enumerate(types[:2]):
            if index:
                segments.append(Segment(" dan "))
            segments += [
                Segment(f"{TYPE_WORDS.get(row.code, row.label.lower())} ("),
                number(row.count, violence=row.code),
            ]
            segments.append(Segment(")"))
    close = counting.breakdown(facts, "terdekat")
    if close.total:
        near = next(row.count for row in close.rows if row.code == counting.CLOSE)
        # The case list has no filter by relationship yet: these two lead to the period's cases.
        unfiltered = "daftar kasus periode ini (saringan hubungan pelaku belum tersedia)"
        segments += [Segment("; "), number(near, title=unfiltered), Segment(" dari "), number(close.total)]
        segments.append(Segment(" pelaku adalah orang terdekat korban"))
    segments.append(Segment("."))
    return PressSummary(segments)
