"""Generated cases for tests and benchmarks: random but reproducible, made through the real services, with
children of every age band, adults, unknown ages, several victims and violence types per case, and merged
reports. Never used in production (names are marked [GEN])."""

from __future__ import annotations

import datetime as dt
import random
import uuid

from django.utils import timezone

from perisai.cases import services
from perisai.core.simfoni import PerpetratorRelationship, PlaceOfOccurrence, ViolenceType
from perisai.regions import selectors as regions
from perisai.reports.choices import Harm
from perisai.reports.services import report_submit

HARMS = [Harm.HIT, Harm.THREATENED, Harm.TOUCHED, Harm.WORK, Harm.SOLD, Harm.NEGLECTED, Harm.OTHER]


def generate_cases(*, officer, manager, count: int, year: int, seed: int = 7) -> list:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    kecamatan = list(regions.kecamatan_of_city())
    cases = []
    for _index in range(count):
        received = timezone.make_aware(
            dt.datetime(year, 1, 1, 8) + dt.timedelta(days=rng.randint(0, 364), hours=rng.randint(0, 12))
        )
        area = rng.choice([*kecamatan, None])
        report = report_submit(
            actor=None,
            token=str(uuid.uuid4()),
            received_at=received,
            fields={
                "harms": [rng.choice(HARMS)],
                "narrative": "[GEN]",
                "kecamatan": area,
                "incident_date": rng.choice([None, (received - dt.timedelta(days=rng.randint(0, 40))).date()]),
                "child_age": rng.choice([None, *range(0, 22)]),
                "child_sex": rng.choice(["p", "l", ""]),
                "perpetrator_relationship": rng.choice([c for c, _l in PerpetratorRelationship.choices]),
                "place": rng.choice(["", *PlaceOfOccurrence.values]),
                "reporter_anonymous": True,
            },
        ).report
        case = services.case_open_from_report(
            actor=officer, report=report, risk="sedang", authority="kota", case_manager=manager, opened_at=received
        )
        if rng.random() < 0.3:  # a second child in the same case, sometimes with several violence types
            services.victim_save(
                actor=manager,
                case=case,
                version=case.version,
                name="[GEN] kedua",
                sex=rng.choice(["p", "l"]),
                estimated_age=rng.randint(0, 19),
                violence_types=rng.sample(ViolenceType.values, rng.randint(1, 3)),
            )
            case.refresh_from_db()
        if rng.random() < 0.2:  # a second report about the same case, merged into it
            again = report_submit(
                actor=None,
                token=str(uuid.uuid4()),
                received_at=received,
                fields={"harms": [Harm.HIT], "narrative": "[GEN]"},
            ).report
            services.report_attach_to_case(actor=officer, report=again, case=case)
        cases.append(case)
    return cases
