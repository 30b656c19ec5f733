"""Retention (UU PDP 27/2022 Pasal 43-44: processing ends when its purpose is served).

Closed cases older than PERISAI_RETENTION_YEARS are anonymised unless a legal hold is set: every
identifying field of the case, its victims, perpetrators and linked reports is erased (history rows
too), attachments are deleted, and what statistics count stays: the case, its dates, kecamatan, risk,
each victim's sex, age and violence types, each perpetrator's relationship and sex. Free text written while
working the case (notes, task notes, approval notes, access reasons, service outcomes, assessments, the plan) is erased
too. Whoever keeps a copy (referrals shared with partners, outreach notes) erases it on `case_anonymised`, in the
same transaction.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from perisai.audit.choices import AuditAction
from perisai.audit.services import audit_record
from perisai.cases.choices import CaseStatus
from perisai.cases.events import case_anonymised
from perisai.cases.models import Assessment, Case, PlanItem, PlanMonitoring, Service
from perisai.core import services as core_services
from perisai.reports import services as report_services


def due_for_anonymisation(now: dt.datetime | None = None):
    cutoff = (now or timezone.now()) - dt.timedelta(days=365 * settings.PERISAI_RETENTION_YEARS)
    return Case.objects.filter(
        status=CaseStatus.CLOSED, closed_at__lt=cutoff, legal_hold=False, anonymised_at__isnull=True
    )


@transaction.atomic
def case_anonymise(*, case: Case) -> None:
    case = Case.objects.select_for_update().get(pk=case.pk)
    for victim in case.victims.all():
        victim.name = victim.nik = victim.address = victim.guardian = victim.needs = ""
        victim.birth_date, victim.kelurahan = None, None
        victim.save()
        victim.history.all().delete()
    for perpetrator in case.perpetrators.all():
        # The police's number leads back to the child's file at the police: it goes too (the stage stays).
        perpetrator.identity = perpetrator.court_decision = perpetrator.police_report_number = ""
        perpetrator.save()
        perpetrator.history.all().delete()
    for report in case.reports.all():
        report_services.report_anonymise(report=report)
    core_services.attachments_delete(owner=case)
    # Free text written while working the case names the child as often as the fields above do.
    case.notes.update(body="")
    case.tasks.update(note="", snooze_reason="")
    case.tasks.filter(rule="").update(title="")  # a title typed by hand may name the child
    case.legal_track.update(police_report_number="")
    case.approvals.update(request_note="", comment="", plan_snapshot="")
    case.plan_items.update(need="")
    PlanItem.history.filter(case_id=case.pk).delete()
    PlanMonitoring.objects.filter(item__case=case).update(note="")
    case.grants.update(reason="")
    case.access_changes.update(reason="")
    Service.objects.filter(victim__case=case).update(outcome="")
    Assessment.objects.filter(victim__case=case).update(risk_reasons="", **dict.fromkeys(Assessment.PARTS, ""))
    Service.history.filter(victim_id__in=case.victims.values("pk")).delete()
    case_anonymised.fire(case_id=case.pk)  # the copies shared with partners go too
    case.chronology = case.lawful_basis_note = ""
    case.kelurahan = None
    case.anonymised_at = timezone.now()
    case.save()
    case.history.all().delete()
    audit_record(actor=None, action=AuditAction.RETENTION_APPLIED, obj=case)


def apply_retention(now: dt.datetime | None = None) -> int:
    count = 0
    for case in due_for_anonymisation(now).iterator():
        case_anonymise(case=case)
        count += 1
    return count
