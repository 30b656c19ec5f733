"""Writes of the import: the cases of a checked plan, all or nothing, through the same services as the screens
(reports.report_submit as an old report entered after the fact, cases.case_open_from_report, victim_save,
perpetrator_save), so encryption, audit, registration numbers, deadline rules and the statistics' tallies are
exactly those of a case typed in by hand."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from perisai.audit.choices import AuditAction
from perisai.audit.services import audit_record
from perisai.cases import selectors as case_selectors
from perisai.cases import services as case_services
from perisai.cases.models import Case
from perisai.core.simfoni import ViolenceType
from perisai.imports.models import ImportedCase, ImportTemplate
from perisai.imports.plan import CasePlan, Plan
from perisai.imports.policies import import_policy
from perisai.reports import services as report_services
from perisai.reports.choices import Channel, Harm

# The report of an imported case names what happened in the reporter's words; SIMFONI's type is what the register
# has, so each type maps to the everyday word that stands for it (reports.choices.HARM_TO_VIOLENCE).
TYPE_TO_HARM = {
    ViolenceType.PHYSICAL: Harm.HIT,
    ViolenceType.PSYCHOLOGICAL: Harm.THREATENED,
    ViolenceType.SEXUAL: Harm.SEXUAL,
    ViolenceType.EXPLOITATION: Harm.WORK,
    ViolenceType.TRAFFICKING: Harm.SOLD,
    ViolenceType.NEGLECT: Harm.NEGLECTED,
    ViolenceType.OTHER: Harm.OTHER,
}


class ImportRefused(Exception):
    """The plan has problems, or a row was refused by a service; nothing was written."""

    def __init__(self, message: str, row: int | None = None):
        super().__init__(message)
        self.row = row


@dataclass(frozen=True)
class ImportResult:
    created: list[Case]
    skipped: int  # cases imported from an earlier run of the same register


@transaction.atomic
def import_template_save(*, actor, name: str, plan: Plan) -> ImportTemplate:
    """Remember which header is which field, so the next file of the same register maps itself."""
    if not import_policy.can(actor, "save_template"):
        raise Http404
    mapping = {key: plan.headers[column] for key, column in plan.mapping.items() if column < len(plan.headers)}
    template, _created = ImportTemplate.objects.update_or_create(
        name=name.strip(), defaults={"mapping": mapping, "updated_by": actor}
    )
    audit_record(actor=actor, action=AuditAction.REFERENCE_DATA_SAVED, obj=template, extra={"fields": sorted(mapping)})
    return template


@transaction.atomic
def import_run(*, actor, plan: Plan, file_sha256: str, filename: str) -> ImportResult:
    """Create every new case of the plan, or none: any refusal rolls the whole file back."""
    if not import_policy.can(actor, "import"):
        raise Http404
    if plan.problems:
        raise ImportRefused(f"Masih ada {len(plan.problems)} masalah di berkas ini; perbaiki dulu.")
    keys = [case.key for case in plan.cases]
    existing = set(ImportedCase.objects.filter(case_key__in=keys).values_list("case_key", flat=True))
    created = []
    for case_plan in plan.cases:
        if case_plan.key in existing:
            continue
        try:
            case = _create_case(actor, case_plan, filename)
        except ValidationError as error:
            reason = "; ".join(error.messages)
            raise ImportRefused(f"Kasus {case_plan.key} ditolak: {reason}", row=case_plan.first_row) from error
        try:
            with transaction.atomic():
                ImportedCase.objects.create(
                    case_key=case_plan.key, case=case, file_sha256=file_sha256, imported_by=actor
                )
        except IntegrityError as error:  # the same register imported at the same moment by someone else
            raise ImportRefused(f"Kasus {case_plan.key} sedang atau sudah diimpor oleh orang lain.") from error
        created.append(case)
    audit_record(
        actor=actor,
        action=AuditAction.IMPORTED,
        object_type="imports.register",
        extra={"file_sha256": file_sha256, "cases": len(created), "skipped": len(plan.cases) - len(created)},
    )
    return ImportResult(created=created, skipped=len(plan.cases) - len(created))


def _create_case(actor, plan: CasePlan, filename: str) -> Case:
    facts = plan.fields
    victims = sorted(plan.victims.values(), key=lambda v: v.number)
    first = victims[0].fields if victims else {}
    # The register has the day only: nine in the morning, office hours, of that day (local time).
    received = timezone.make_aware(dt.datetime.combine(facts["report_date"], dt.time(9)))
    narrative = f"Diimpor dari register ({filename}), nomor {plan.key}."
    if facts.get("chronology"):
        narrative += f"\n\n{facts['chronology']}"
    report = report_services.report_submit(
        actor=actor,
        fields={
            "urgent": False,
            "harms": [TYPE_TO_HARM[t] for t in plan.types] or [Harm.OTHER],
            "narrative": narrative,
            "kecamatan": facts.get("kecamatan"),
            "kelurahan": facts.get("kelurahan"),
            "place": facts.get("place", ""),
            "incident_date": facts.get("incident_date"),
            "reporter_anonymous": True,
            "child_name": first.get("name", ""),
            "child_age": first.get("estimated_age"),
            "child_sex": first.get("sex", ""),
        },
        # A random token, never one derived from the register: a report's token yields its PIN (reports.codes), and
        # anyone could compute a derived one. A second run is stopped by ImportedCase instead.
        token=str(uuid.uuid4()),
        channel=Channel.REGISTER,
        received_at=received,
        entered_after_fact=True,
    ).report
    case = case_services.case_open_from_report(actor=actor, report=report, risk="sedang", authority="kota")
    saved = {}
    for index, victim in enumerate(victims):
        fields = {k: v for k, v in victim.fields.items() if k != "address" or v}
        if "violence_types" not in fields:
            fields["violence_types"] = plan.types
        existing = case.victims.order_by("pk").first() if index == 0 else None
        saved[victim.number] = case_services.victim_save(
            actor=actor, case=case, version=case_selectors.case_version(case), victim=existing, **fields
        )
    for perpetrator in sorted(plan.perpetrators.values(), key=lambda p: p.number):
        links = {saved[n]: rel for n, rel in perpetrator.relationships.items() if n in saved}
        relationship = next(iter(perpetrator.relationships.values()), "na")
        case_services.perpetrator_save(
            actor=actor,
            case=case,
            version=case_selectors.case_version(case),
            relationships=links,
            relationship=relationship,
            **perpetrator.fields,
        )
    return case
