"""Writes for outreach operations: the operation, the children found, and each child turned into a report with
one action (through the same intake rules as every other report)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from perisai.accounts.models import Agency, User
from perisai.audit.choices import AuditAction
from perisai.audit.services import audit_record
from perisai.outreach.choices import ChildSituation
from perisai.outreach.models import OutreachChild, OutreachOperation
from perisai.outreach.policies import outreach_policy
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


def outreach_child_to_report(*, actor: User, child: OutreachChild) -> Report:
    """One action: the child found in the operation becomes a report in the inbox (channel: outreach), through
    the same intake rules as every other report, and stays linked to the operation."""
    _require(outreach_policy.can(actor, "make_report", child.operation))
    if child.report_id:
        return child.report
    operation = child.operation
    situation = child.get_situation_display()
    narrative = _("Anak ditemukan dalam operasi penjangkauan tanggal %(date)s di %(place)s: %(situation)s.") % {
        "date": operation.held_on.strftime("%d-%m-%Y"),
        "place": operation.location,
        "situation": situation,
    }
    if child.note:
        narrative += "\n" + child.note
    fields = {
        "narrative": narrative,
        "kecamatan": operation.kecamatan,
        "location_detail": operation.location,
        "incident_date": operation.held_on,
        "child_name": child.name,
        "child_age": child.estimated_age,
        "child_sex": child.sex,
        "harms": [Harm.WORK]
        if child.situation in (ChildSituation.BEGGING, ChildSituation.WORKING)
        else [Harm.NEGLECTED],
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


def outreach_children_anonymise(*, case_id: int) -> int:
    """Retention anonymised a case (cases.events.case_anonymised, inside its transaction): the names and notes of
    the children of operations who became its reports go with it."""
    return OutreachChild.objects.filter(report__case_id=case_id).update(name="", note="")
