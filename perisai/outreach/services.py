"""Writes for outreach operations: the operation, the children found, and each child turned into a report with
one action (through the same intake rules as every other report)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from perisai.accounts.models import Agency, User
from perisai.audit.choices import AuditAction
from perisai.audit.services import audit_record
from perisai.cases import services as case_services
from perisai.cases.choices import Authority
from perisai.cases.models import Case
from perisai.outreach.choices import ChildSituation
from perisai.outreach.models import OutreachChild, OutreachOperation
from perisai.outreach.policies import outreach_policy
from perisai.referrals import services as referral_services
from perisai.referrals.choices import Urgency
from perisai.referrals.policies import referral_policy
from perisai.reports import services as report_services
from perisai.reports.choices import Channel, Harm
from perisai.reports.models import Report


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404


@transaction.atomic
def outreach_record(
    *,
    actor: User,
    held_on: dt.date,
    kecamatan,
    location: str,
    agencies: Iterable[Agency],
    team: str = "",
    notes: str = "",
) -> OutreachOperation:
    _require(outreach_policy.can(actor, "create"))
    operation = OutreachOperation.objects.create(
        held_on=held_on,
        kecamatan=kecamatan,
        location=location.strip(),
        team=team.strip(),
        notes=notes.strip(),
        created_by=actor,
    )
    agencies = set(agencies)
    if actor.agency is not None and not actor.agency.is_home_office:
        agencies.add(actor.agency)  # a partner's own operation is always theirs to see
    operation.agencies.set(agencies)
    audit_record(actor=actor, action=AuditAction.OUTREACH_RECORDED, obj=operation)
    return operation


@transaction.atomic
def outreach_child_add(*, actor: User, operation: OutreachOperation, **fields) -> OutreachChild:
    _require(outreach_policy.can(actor, "add_child", operation))
    child = OutreachChild.objects.create(operation=operation, **fields)
    audit_record(
        actor=actor, action=AuditAction.OUTREACH_RECORDED, obj=operation, extra={"child": str(child.public_id)}
    )
    return child


def outreach_child_to_report(
    *,
    actor: User,
    child: OutreachChild,
    incident_date: dt.date | None = None,
    place: str = "",
    harm: str = "",
    action_taken: str = "",
) -> Report:
    """One action: the child found in the operation becomes a report in the inbox (channel: outreach), through
    the same intake rules as every other report, and stays linked to the operation. Facts shared by the children
    of one operation (the date, the place, what happened, what the team did) may be given once for all."""
    _require(outreach_policy.can(actor, "make_report", child.operation))
    if child.report_id:
        return child.report
    operation = child.operation
    narrative = _("Anak ditemukan dalam operasi penjangkauan tanggal %(date)s di %(place)s: %(situation)s.") % {
        "date": operation.held_on.strftime("%d-%m-%Y"),
        "place": operation.location,
        "situation": child.get_situation_display(),
    }
    if action_taken.strip():
        narrative += "\n" + _("Tindakan tim: %(action)s") % {"action": action_taken.strip()}
    if child.note:
        narrative += "\n" + child.note
    default_harm = Harm.WORK if child.situation in (ChildSituation.BEGGING, ChildSituation.WORKING) else Harm.NEGLECTED
    fields = {
        "narrative": narrative,
        "kecamatan": operation.kecamatan,
        "location_detail": operation.location,
        "incident_date": incident_date or operation.held_on,
        "place": place,
        "child_name": child.name,
        "child_age": child.estimated_age,
        "child_sex": child.sex,
        "harms": [harm or default_harm],
    }
    with transaction.atomic():
        locked = OutreachChild.objects.select_for_update().get(pk=child.pk)
        if locked.report_id:
            return locked.report
        submission = report_services.report_submit(
            actor=actor,
            fields=fields,
            token=f"outreach-{child.public_id}",
            channel=Channel.OUTREACH,
            received_at=timezone.now(),
        )
        OutreachChild.objects.filter(pk=child.pk).update(report=submission.report)
    child.report = submission.report
    return submission.report


@transaction.atomic
def outreach_children_add(
    *, actor: User, operation: OutreachOperation, children: list[dict], situation: str
) -> list[OutreachChild]:
    """Several children at once (name or initials, age, sex per line), all found in the same situation."""
    _require(outreach_policy.can(actor, "add_child", operation))
    added = [OutreachChild.objects.create(operation=operation, situation=situation, **child) for child in children]
    audit_record(actor=actor, action=AuditAction.OUTREACH_RECORDED, obj=operation, extra={"children": len(added)})
    return added


@transaction.atomic
def outreach_children_to_cases(
    *,
    actor: User,
    operation: OutreachOperation,
    children: Iterable[OutreachChild],
    incident_date: dt.date,
    place: str,
    harm: str,
    action_taken: str,
    risk: str,
    case_manager: User | None = None,
    refer_to: Agency | None = None,
    service_type: str = "",
    basis: str = "",
    basis_note: str = "",
    items: Iterable[str] = (),
) -> list[Case]:
    """The chosen children of an operation become one case each, with the facts they share given once; with
    `refer_to`, each case is referred to that agency on the one basis recorded (each referral keeps its own
    snapshot of its own child). All or nothing: a refusal leaves no half-made cases behind."""
    _require(outreach_policy.can(actor, "make_cases", operation))
    children = [child for child in children if child.operation_id == operation.pk and not child.report_id]
    if not children:
        raise ValidationError({"children": _("Pilih paling sedikit satu anak yang belum ditindaklanjuti.")})
    cases = []
    for child in children:
        report = outreach_child_to_report(
            actor=actor, child=child, incident_date=incident_date, place=place, harm=harm, action_taken=action_taken
        )
        case = case_services.case_open_from_report(
            actor=actor, report=report, risk=risk, authority=Authority.CITY, case_manager=case_manager
        )
        if refer_to is not None:
            if not referral_policy.can(actor, "refer", case):
                raise ValidationError(
                    {"refer_to": _("Hanya supervisor yang dapat merujuk dari sini; kosongkan 'Rujuk ke'.")}
                )
            referral_services.referral_send(
                actor=actor,
                case=case,
                agencies=[refer_to],
                service_type=service_type,
                urgency=Urgency.NORMAL,
                reason=_("Anak yang ditemui dalam operasi %(date)s di %(place)s.")
                % {"date": operation.held_on.strftime("%d-%m-%Y"), "place": operation.location},
                items=items,
                basis=basis,
                basis_note=basis_note,
            )
        cases.append(case)
    return cases


def outreach_children_anonymise(*, case_id: int) -> int:
    """Retention anonymised a case (cases.events.case_anonymised, inside its transaction): the names and notes of
    the children of operations who became its reports go with it."""
    return OutreachChild.objects.filter(report__case_id=case_id).update(name="", note="")
