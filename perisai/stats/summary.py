"""The press summary: the Indonesian sentence a head of office reads out, built from the same facts as the
dashboard. Each number can carry a link to the case list that produces it (for those the case policy lets
see records). The numbers count children (korban) or perpetrators (pelaku) and the list counts cases, so each
number also says how many cases its link lists ("38 pelaku — lihat 35 kasus"); tests check that the list
shows exactly that many."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from perisai.cases import filters as case_filters
from perisai.core.simfoni import ViolenceType
from perisai.stats import counting
from perisai.stats.periods import BASIS_INCIDENT

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
    unit: str = ""  # what the number counts: korban or pelaku (the case list counts kasus)
    what: str = ""  # the number's meaning, for the list of links under the sentence
    cases: int | None = None  # the cases that produce the number: exactly what its link lists


@dataclass(frozen=True)
class PressSummary:
    segments: list[Segment]

    @property
    def text(self) -> str:
        return "".join(segment.text for segment in self.segments)

    @property
    def numbers(self) -> list[Segment]:
        return [segment for segment in self.segments if segment.link]


def case_list_link(facts: counting.Facts, **filters: str) -> str:
    """The case list filtered to the counted period, by the date that put the cases in it: the opening date
    (the same local days as counting.facts_for) or the incident date (cases without one match neither)."""
    if facts.period.basis == BASIS_INCIDENT:
        dates = {"incident_from": facts.period.start.isoformat(), "incident_to": facts.period.end.isoformat()}
    else:
        dates = {"opened_from": facts.period.start.isoformat(), "opened_to": facts.period.end.isoformat()}
    query = {"semua": "1", **dates}
    if facts.kecamatan:
        query["kecamatan"] = facts.kecamatan
    query.update(filters)
    return reverse("cases:list") + "?" + urlencode(query)


def press_summary(facts: counting.Facts, *, place: str, with_links: bool) -> PressSummary:
    """Every number is in korban or pelaku; its link lists the cases that produce it (a case with two child
    victims is one row), so each number carries its count of cases, which the page shows beside the link."""

    def number(value: int, *, unit: str, what: str, cases: int, **filters: str) -> Segment:
        if not with_links:
            return Segment(str(value))
        return Segment(
            str(value), case_list_link(facts, **filters), f"lihat {cases} kasus", unit=unit, what=what, cases=cases
        )

    period = facts.period.label
    if not facts.victim_count:
        return PressSummary([Segment(f"{period}: tidak ada anak korban kekerasan yang tercatat di {place}.")])
    victims = counting.UNIT_VICTIMS
    segments = [
        Segment(f"{period}: "),
        number(facts.victim_count, unit=victims, what="anak korban kekerasan", cases=facts.case_count),
        Segment(f" anak menjadi korban kekerasan di {place}"),
    ]
    types = [row for row in facts.breakdown("jenis").rows if row.count]
    types.sort(key=lambda row: -row.count)
    if types:
        segments.append(Segment("; terbanyak "))
        for index, row in enumerate(types[:2]):
            if index:
                segments.append(Segment(" dan "))
            word = TYPE_WORDS.get(row.code, row.label.lower())
            segments += [
                Segment(f"{word} ("),
                number(row.count, unit=victims, what=f"anak korban {word}", cases=row.cases, violence=row.code),
            ]
            segments.append(Segment(")"))
    close = facts.breakdown("terdekat")
    if close.total:
        near = close.row(counting.CLOSE)
        perpetrators = counting.UNIT_PERPETRATORS
        segments += [
            Segment("; "),
            number(
                near.count,
                unit=perpetrators,
                what="terduga pelaku yang termasuk orang terdekat korban",
                cases=near.cases,
                relationship=case_filters.CLOSE,
            ),
            Segment(" dari "),
            number(
                close.total,
                unit=perpetrators,
                what="terduga pelaku yang tercatat",
                cases=close.cases_with_unit,
                relationship=case_filters.ANY_PERPETRATOR,
            ),
        ]
        segments.append(Segment(" pelaku adalah orang terdekat korban"))
    segments.append(Segment("."))
    return PressSummary(segments)
