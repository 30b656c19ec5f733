"""Writes for cases: triage of reports, the workflow with approvals, assignment, break-the-glass, consent."""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from perisai.accounts.choices import AgencyKind, Role
from perisai.accounts.models import Agency, User
from perisai.audit.choices import AuditAction
from perisai.audit.services import audit_record
from perisai.cases import deadlines, legal_stages, notices, numbering, plan, tasks
from perisai.cases.choices import (
    APPROVAL_STAGE,
    CLOSURE_CHECKLIST,
    TRANSITIONS,
    ApprovalDecision,
    ApprovalKind,
    CaseStatus,
    PlanItemStatus,
    Risk,
)
from perisai.cases.models import (
    Assessment,
    Case,
    CaseAccessChange,
    CaseAccessGrant,
    CaseApproval,
    CaseNote,
    CaseTask,
    CaseTeamMember,
    LegalStageOption,
    LegalTrackEntry,
    Perpetrator,
    PlanItem,
    PlanMonitoring,
    Service,
    Victim,
    VictimRelationship,
)
from perisai.cases.policies import case_policy
from perisai.reports import selectors as report_selectors
from perisai.reports import services as report_services
from perisai.reports.choices import Channel, ReportStatus
from perisai.reports.models import Report
from perisai.reports.policies import report_policy


class StaleEdit(Exception):
    """Someone else changed the case since this page was loaded; nothing was saved."""


class WorkflowError(Exception):
    pass


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404


def _bump(case: Case, version: int, **changes) -> Case:
    """Save `changes` only if nobody saved the case since `version` was read (optimistic locking).

    The row is locked and compared under the lock, then saved normally so record history is written."""
    locked = Case.objects.select_for_update().filter(pk=case.pk, version=version).first()
    if locked is None:
        raise StaleEdit(case)
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.version = version + 1
    locked.save()
    return locked


@transaction.atomic
def case_open_from_report(
    *,
    actor: User,
    report: Report,
    risk: str,
    authority: str,
    case_manager: User | None = None,
    opened_at: dt.datetime | None = None,
) -> Case:
    """Triage: a report becomes a new case, with its first victim taken from what the reporter told us.

    `opened_at` is for cases entered after the fact (e.g. from last year's spreadsheets); it decides the
    registration year and month."""
    _require(case_policy.can(actor, "triage") and report_policy.can(actor, "view", report))
    report = report_selectors.report_lock(report)
    if not report_services.untriaged(report):
        raise WorkflowError(_("Laporan ini sudah ditriase."))
    # Reports merged into this one are about the same child or event: what they tell counts too (a merged
    # report may be the one that names sexual violence, which brings the UU TPKS Pasal 41 task).
    group = [report, *report_selectors.merged_into(report)]
    violence_types = sorted({code for item in group for code in item.violence_types})
    # An old report typed in later: the case is registered on the day the office really received it, so it
    # counts in that period (SIMFONI-PPA's tanggal pelaporan) and its number follows that date.
    historical = any(item.entered_after_fact for item in group)
    reported_at = min(item.received_at for item in group)
    now = opened_at or (reported_at if historical else timezone.now())
    year, sequence, number = numbering.next_number(timezone.localtime(now))
    case = Case.objects.create(
        registration_number=number,
        year=year,
        sequence=sequence,
        risk=risk,
        authority=authority,
        incident_date=report.incident_date,
        kecamatan=report.kecamatan,
        kelurahan=report.kelurahan,
        place=report.place,
        chronology=report.narrative,
        case_manager=case_manager,
        opened_at=now,
        entered_after_fact=historical,
        opened_by=actor,
    )
    victim = Victim.objects.create(
        case=case,
        name=report.child_name,
        sex=report.child_sex,
        estimated_age=report.child_age,
        kelurahan=report.kelurahan,
        violence_types=violence_types,
    )
    if report.perpetrator_description or report.perpetrator_relationship:
        perpetrator = Perpetrator.objects.create(
            case=case, identity=report.perpetrator_description, relationship=report.perpetrator_relationship or "na"
        )
        VictimRelationship.objects.create(perpetrator=perpetrator, victim=victim, relationship=perpetrator.relationship)
    report_services.report_transition(actor=actor, report=report, to=ReportStatus.IN_CASE, case=case)
    opening = {"report": str(report.public_id), "risk": risk}
    if historical:
        # The audit row's own time is when Perisai stored it; the case carries the date the office received it.
        opening.update(entered_after_fact=True, report_date=now.isoformat())
    audit_record(actor=actor, action=AuditAction.CASE_OPENED, obj=case, extra=opening)
    if case_manager:
        audit_record(
            actor=actor, action=AuditAction.CASE_ASSIGNED, obj=case, extra={"case_manager": str(case_manager.public_id)}
        )
    _create_rule_tasks(case, report, group, actor=actor)
    return case


@transaction.atomic
def report_attach_to_case(*, actor: User, report: Report, case: Case) -> Report:
    _require(case_policy.can(actor, "triage") and report_policy.can(actor, "view", report))
    report = report_selectors.report_lock(report)
    if not report_services.untriaged(report):
        raise WorkflowError(_("Laporan ini sudah ditriase."))
    report = report_services.report_transition(actor=actor, report=report, to=ReportStatus.IN_CASE, case=case)
    audit_record(actor=actor, action=AuditAction.REPORT_ATTACHED, obj=case, extra={"report": str(report.public_id)})
    return report


@transaction.atomic
def case_transition(*, actor: User, case: Case, to: str, version: int) -> Case:
    _require(case_policy.can(actor, "view", case))
    if (case.status, to) not in TRANSITIONS or not case_policy.can(actor, f"to:{to}", case):
        raise WorkflowError(_("Langkah ini tidak dapat dilakukan sekarang."))
    previous = case.status
    changes = {"status": to}
    if to == CaseStatus.CLOSED:
        # UU TPKS Pasal 41 is a legal duty: a case cannot close while the police report is not accounted for.
        if case.tasks.filter(rule=deadlines.POLICE_REPORT, done_at__isnull=True).exists():
            raise WorkflowError(_("Selesaikan dulu tugas lapor polisi (UU TPKS Pasal 41) sebelum menutup kasus."))
        changes["closed_at"] = timezone.now()
        # Cancelled tasks leave the deadline figures: the case's own save below announces the change (cases.events).
        case.tasks.filter(done_at__isnull=True).update(done_at=changes["closed_at"], done_by=actor, outcome="cancelled")
    elif previous == CaseStatus.CLOSED:
        changes["closed_at"] = None
        CaseApproval.objects.filter(case=case, kind="closure").update(decision=ApprovalDecision.SENT_BACK)
    case = _bump(case, version, **changes)
    audit_record(actor=actor, action=AuditAction.CASE_TRANSITIONED, obj=case, extra={"from": previous, "to": to})
    if CaseStatus.CLOSED in (previous, to):
        # The reporter reads that handling finished, or that it goes on again (nothing about why: reports.progress).
        report_services.reports_follow_case(actor=actor, case=case, closed=to == CaseStatus.CLOSED)
    return case


@transaction.atomic
def approval_request(
    *,
    actor: User,
    case: Case,
    kind: str,
    note: str = "",
    review_on: dt.date | None = None,
    checklist: dict[str, bool] | None = None,
) -> CaseApproval:
    """Ask a supervisor to approve the intervention plan (its items as they are now, and when it will be reviewed)
    or the closure (with its checklist; an unticked item needs the note to say why)."""
    _require(case_policy.can(actor, "request_approval", case))
    # One request at a time: the case row is locked, so a double submit finds the first one pending.
    case = Case.objects.select_for_update().get(pk=case.pk)
    if APPROVAL_STAGE.get(kind) != case.status:
        raise WorkflowError(_("Persetujuan ini belum dapat diminta pada tahap sekarang."))
    if case.approvals.filter(kind=kind, decision=ApprovalDecision.PENDING).exists():
        raise WorkflowError(_("Permintaan persetujuan sudah menunggu keputusan supervisor."))
    fields = {}
    if kind == ApprovalKind.PLAN:
        snapshot = plan.plan_snapshot(case)
        if not snapshot:
            raise WorkflowError(_("Tambahkan dulu paling sedikit satu butir rencana intervensi."))
        if plan.same_plan(snapshot, plan.snapshot_of(plan.approved_plan(case))):
            raise WorkflowError(_("Rencana ini sudah disetujui dan belum diubah sejak itu."))
        if review_on is not None and review_on <= timezone.localdate():
            raise ValidationError({"review_on": _("Tanggal tinjauan harus setelah hari ini.")})
        fields = {"plan_snapshot": json.dumps(snapshot), "review_on": review_on}
    elif kind == ApprovalKind.CLOSURE:
        ticked = {key: bool((checklist or {}).get(key)) for key, _label in CLOSURE_CHECKLIST}
        if not all(ticked.values()) and len(note.strip()) < 10:
            raise ValidationError(
                {
                    "note": _(
                        "Ada butir daftar periksa yang belum dicentang: jelaskan di catatan "
                        "(paling sedikit 10 karakter)."
                    )
                }
            )
        fields = {"checklist": ticked}
    approval = CaseApproval.objects.create(
        case=case, kind=kind, requested_by=actor, request_note=note.strip(), **fields
    )
    audit_record(actor=actor, action=AuditAction.APPROVAL_REQUESTED, obj=case, extra={"kind": kind})
    notices.approval_requested(approval)
    return approval


@transaction.atomic
def approval_decide(*, actor: User, approval: CaseApproval, approve: bool, comment: str = "") -> CaseApproval:
    approval = CaseApproval.objects.select_for_update().select_related("case").get(pk=approval.pk)
    _require(case_policy.can(actor, "decide_approval", approval.case))
    if approval.decision != ApprovalDecision.PENDING:
        raise WorkflowError(_("Permintaan ini sudah diputuskan."))
    if approval.requested_by_id == actor.pk:
        raise WorkflowError(_("Permintaan Anda sendiri harus diputuskan oleh supervisor lain."))
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Tuliskan alasan pengembalian.")})
    if (
        approve
        and approval.kind == ApprovalKind.PLAN
        and not plan.same_plan(plan.snapshot_of(approval), plan.plan_snapshot(approval.case))
    ):
        # What would be approved must be what will be carried out.
        raise WorkflowError(
            _("Rencana sudah diubah sejak persetujuan diminta. Kembalikan permintaan ini agar diajukan ulang.")
        )
    approval.decision = ApprovalDecision.APPROVED if approve else ApprovalDecision.SENT_BACK
    approval.decided_by, approval.decided_at, approval.comment = actor, timezone.now(), comment.strip()
    approval.save()
    audit_record(
        actor=actor,
        action=AuditAction.APPROVAL_DECIDED,
        obj=approval.case,
        extra={"kind": approval.kind, "decision": approval.decision},
    )
    notices.approval_decided(approval)
    return approval


@transaction.atomic
def case_assign(*, actor: User, case: Case, case_manager: User, version: int) -> Case:
    _require(case_policy.can(actor, "assign", case))
    if not (case_manager.has_role(Role.CASE_MANAGER, Role.SUPERVISOR) and case_manager.agency_id == actor.agency_id):
        raise ValidationError({"case_manager": _("Pilih pendamping dari kantor ini.")})
    previous = case.case_manager_id
    case = _bump(case, version, case_manager=case_manager)
    # Open tasks follow the case to the new manager (a worker on leave leaves nothing hanging).
    unassigned = Q(assignee__isnull=True) | Q(assignee_id=previous)
    # The new owner hears of near and late deadlines again (cases.notices): the old owner was the one told.
    case.tasks.filter(unassigned, done_at__isnull=True).update(
        assignee=case_manager, due_soon_notified_at=None, overdue_notified_at=None
    )
    audit_record(
        actor=actor, action=AuditAction.CASE_ASSIGNED, obj=case, extra={"case_manager": str(case_manager.public_id)}
    )
    return case


@transaction.atomic
def case_break_glass(*, actor: User, case: Case, reason: str) -> CaseAccessGrant:
    """A supervisor opens a case outside their scope in an emergency; every supervisor is told."""
    _require(case_policy.can(actor, "break_glass", case))
    if len(reason.strip()) < 10:
        raise ValidationError({"reason": _("Tuliskan alasan yang jelas (paling sedikit 10 karakter).")})
    grant = CaseAccessGrant.objects.create(
        case=case,
        user=actor,
        reason=reason.strip(),
        expires_at=timezone.now() + dt.timedelta(hours=settings.PERISAI_BREAK_GLASS_HOURS),
    )
    # The grant's id, not its reason: the timeline and "who has opened this file" read the reason from the grant.
    audit_record(actor=actor, action=AuditAction.BREAK_THE_GLASS, obj=case, extra={"grant": grant.pk})
    tasks.after_break_glass(grant)
    return grant


@transaction.atomic
def case_record_lawful_basis(*, actor: User, case: Case, basis: str, note: str, version: int) -> Case:
    _require(case_policy.can(actor, "record_lawful_basis", case))
    case = _bump(
        case, version, lawful_basis=basis, lawful_basis_recorded_at=timezone.now(), lawful_basis_note=note.strip()
    )
    audit_record(actor=actor, action=AuditAction.CONSENT_RECORDED, obj=case, extra={"basis": basis})
    return case


# What triage copied from the report and the case manager may correct later (the report itself stays as received).
CASE_FACTS = ("incident_date", "place", "kecamatan", "kelurahan", "chronology")


@transaction.atomic
def case_facts_save(*, actor: User, case: Case, version: int, **facts) -> Case:
    """Correct the incident's date, place, kecamatan/kelurahan and chronology. The old values stay in the case's
    history; the audit row names the fields that changed, never their values (the chronology names the child)."""
    _require(case_policy.can(actor, "edit", case))
    unknown = set(facts) - set(CASE_FACTS)
    if unknown:
        raise TypeError(f"not a case fact: {sorted(unknown)}")
    kelurahan = facts.get("kelurahan")
    if kelurahan is not None and facts.get("kecamatan") is not None and kelurahan.parent_id != facts["kecamatan"].pk:
        raise ValidationError({"kelurahan": _("Kelurahan ini tidak berada di kecamatan yang dipilih.")})
    incident = facts.get("incident_date")
    if incident is not None and incident > timezone.localdate():
        raise ValidationError({"incident_date": _("Tanggal kejadian tidak boleh di masa depan.")})
    changed = sorted(name for name, value in facts.items() if getattr(case, name) != value)
    if not changed:
        return case
    case = _bump(case, version, **facts)
    audit_record(actor=actor, action=AuditAction.CASE_UPDATED, obj=case, extra={"facts": changed})
    return case


@transaction.atomic
def case_restrict(*, actor: User, case: Case, restricted: bool, reason: str, version: int) -> Case:
    """Restrict a case to its case manager and team (e.g. the child or the suspect is related to a member of
    staff), or lift that. Supervisors outside the team then reach it only through break-the-glass."""
    _require(case_policy.can(actor, "restrict", case))
    if case.restricted == restricted:
        raise WorkflowError(_("Status akses kasus ini sudah seperti itu."))
    if len(reason.strip()) < 10:
        raise ValidationError({"reason": _("Tuliskan alasan yang jelas (paling sedikit 10 karakter).")})
    case = _bump(case, version, restricted=restricted)
    change = CaseAccessChange.objects.create(case=case, restricted=restricted, reason=reason.strip(), changed_by=actor)
    audit_record(
        actor=actor,
        action=AuditAction.CASE_RESTRICTED if restricted else AuditAction.CASE_UNRESTRICTED,
        obj=case,
        extra={"access_change": change.pk},
    )
    return case


@transaction.atomic
def case_lawful_basis_from_referral(*, actor: User, case: Case, basis: str, note: str) -> Case:
    """A referral was sent on a recorded basis (UU PDP Pasal 20): the case's register shows that basis too, so the
    case never says "not recorded" while its data has been shared. Called by referrals.services.referral_send,
    which has checked the actor may refer this case; no version, because no form of the case was edited."""
    if not basis or case.lawful_basis:
        # A basis already recorded stays, with its note of who consented and how: the case manager changes it on the
        # case page. A referral fills the register only where it was empty.
        return case
    locked = Case.objects.select_for_update().get(pk=case.pk)
    case = _bump(
        locked, locked.version, lawful_basis=basis, lawful_basis_recorded_at=timezone.now(), lawful_basis_note=note
    )
    audit_record(actor=actor, action=AuditAction.CONSENT_RECORDED, obj=case, extra={"basis": basis, "from": "referral"})
    return case


RISK_ORDER = {Risk.LOW: 0, Risk.MEDIUM: 1, Risk.HIGH: 2}


@transaction.atomic
def assessment_record(*, actor: User, case: Case, victim: Victim, version: int, **parts) -> Assessment:
    """A new version of one victim's assessment. The case's risk becomes the highest of its victims' latest
    assessments (it orders the office's work and the first-contact deadline of later cases alike), and the
    assessment task is done the first time."""
    _require(case_policy.can(actor, "edit", case))
    if victim.case_id != case.pk:
        raise Http404
    if len(parts.get("risk_reasons", "").strip()) < 10:
        raise ValidationError({"risk_reasons": _("Tuliskan alasan tingkat risiko (paling sedikit 10 karakter).")})
    locked = _bump(case, version)
    last = victim.assessments.order_by("-number").values_list("number", flat=True).first() or 0
    assessment = Assessment.objects.create(
        victim=victim,
        number=last + 1,
        assessed_by=actor,
        **{k: v.strip() if isinstance(v, str) else v for k, v in parts.items()},
    )
    latest = [
        victim_row.assessments.order_by("-number").values_list("risk", flat=True).first()
        for victim_row in case.victims.all()
    ]
    risk = max((r for r in latest if r), key=RISK_ORDER.__getitem__)
    if risk != locked.risk:
        _bump(locked, locked.version, risk=risk)
    now = timezone.now()
    for task in case.tasks.select_for_update().filter(rule="assessment", done_at__isnull=True):
        task.done_at, task.done_by, task.outcome = now, actor, "done"
        task.save()
    audit_record(
        actor=actor,
        action=AuditAction.CASE_UPDATED,
        obj=case,
        extra={"assessment": str(victim.public_id), "version": assessment.number, "risk": assessment.risk},
    )
    return assessment


@transaction.atomic
def victim_save(*, actor: User, case: Case, version: int, victim: Victim | None = None, **fields) -> Victim:
    """Add or change a victim. Refused when the case changed since the form was loaded (nothing is lost:
    the view shows the input back)."""
    _require(case_policy.can(actor, "edit", case))
    _bump(case, version)
    victim = victim or Victim(case=case)
    for name, value in fields.items():
        setattr(victim, name, value)
    victim.full_clean()
    victim.save()
    audit_record(actor=actor, action=AuditAction.CASE_UPDATED, obj=case, extra={"victim": str(victim.public_id)})
    return victim


@transaction.atomic
def perpetrator_save(
    *,
    actor: User,
    case: Case,
    version: int,
    perpetrator: Perpetrator | None = None,
    relationships: dict | None = None,
    **fields,
) -> Perpetrator:
    """Add or change a perpetrator, with their relationship to each victim of the case."""
    _require(case_policy.can(actor, "edit", case))
    _bump(case, version)
    perpetrator = perpetrator or Perpetrator(case=case)
    for name, value in fields.items():
        setattr(perpetrator, name, value)
    relationships = relationships or {}
    if relationships:
        # The summary field follows the first victim, for lists and older reports.
        first = min(relationships, key=lambda victim: victim.pk)
        perpetrator.relationship = relationships[first]
    perpetrator.full_clean()
    perpetrator.save()
    for victim, relationship in relationships.items():
        if victim.case_id != case.pk:
            raise Http404
        VictimRelationship.objects.update_or_create(
            perpetrator=perpetrator, victim=victim, defaults={"relationship": relationship}
        )
    audit_record(
        actor=actor, action=AuditAction.CASE_UPDATED, obj=case, extra={"perpetrator": str(perpetrator.public_id)}
    )
    return perpetrator


def _create_rule_tasks(case: Case, report: Report, group: list[Report], *, actor: User) -> None:
    """Deadlines run from the earliest report of the group (the victim's first report), not from triage. A case
    entered after the fact never gets a task that is overdue the moment it exists: a deadline that ran out before
    the office typed the case in is recorded as not applicable (cases.deadlines.NOT_APPLICABLE)."""
    now = timezone.now()
    for rule, title, due in deadlines.tasks_for(
        case,
        reported_at=min(item.received_at for item in group),
        sexual_violence=any(deadlines.is_sexual(item.violence_types) for item in group),
        met_in_person=report.channel == Channel.OUTREACH,
    ):
        task = CaseTask(case=case, rule=rule, title=title, due_at=due, assignee=case.case_manager)
        if case.entered_after_fact and due <= now:
            task.done_at, task.done_by, task.outcome = now, actor, deadlines.NOT_APPLICABLE
        task.save()


@transaction.atomic
def case_mark_entered_after_fact(*, actor: User, case: Case, reported_at: dt.datetime, version: int) -> Case:
    """A case typed in long after the office received it (before Perisai, or by someone who did not tick "dicatat
    belakangan" at intake): it moves to the period it was really reported in, gets a registration number of that
    year and month, and its deadline tasks that ran out before it was typed in become not applicable. The old
    number and the date it was stored stay in the audit trail (the old number's sequence stays unused)."""
    _require(case_policy.can(actor, "backdate", case))
    now = timezone.now()
    if reported_at > now:
        raise ValidationError({"reported_at": _("Tanggal laporan tidak boleh di masa depan.")})
    if reported_at >= case.opened_at:
        raise ValidationError({"reported_at": _("Tanggal laporan sebenarnya harus sebelum tanggal kasus ini dicatat.")})
    if case.incident_date and timezone.localtime(reported_at).date() < case.incident_date:
        raise ValidationError({"reported_at": _("Tanggal laporan tidak boleh sebelum tanggal kejadian.")})
    previous = case.registration_number
    year, sequence, number = numbering.next_number(timezone.localtime(reported_at))
    case = _bump(
        case,
        version,
        opened_at=reported_at,
        entered_after_fact=True,
        year=year,
        sequence=sequence,
        registration_number=number,
    )
    # The case's own save above announces the change to statistics (cases.events), so update() is enough here.
    skipped = case.tasks.filter(rule__in=deadlines.TITLES, done_at__isnull=True, due_at__lte=now).update(
        done_at=now, done_by=actor, outcome=deadlines.NOT_APPLICABLE
    )
    audit_record(
        actor=actor,
        action=AuditAction.CASE_UPDATED,
        obj=case,
        extra={
            "entered_after_fact": True,
            "report_date": reported_at.isoformat(),
            "previous_number": previous,
            "tasks_not_applicable": skipped,
        },
    )
    return case


@transaction.atomic
def task_complete(*, actor: User, task: CaseTask, outcome: str, note: str = "") -> CaseTask:
    """Mark a task done. The TPKS police-report task needs its outcome, and a reason when refused."""
    task = CaseTask.objects.select_for_update().select_related("case").get(pk=task.pk)
    _require(case_policy.can(actor, "edit", task.case))
    if task.done_at:
        raise WorkflowError(_("Tugas ini sudah selesai."))
    allowed = dict(deadlines.POLICE_OUTCOMES if task.rule == deadlines.POLICE_REPORT else deadlines.GENERAL_OUTCOMES)
    if outcome not in allowed:
        raise ValidationError({"outcome": _("Pilih hasil yang sesuai.")})
    if outcome == "refused" and not note.strip():
        raise ValidationError({"note": _("Tuliskan alasan penolakan.")})
    task.done_at, task.done_by, task.outcome, task.note = timezone.now(), actor, outcome, note.strip()
    task.save()
    audit_record(
        actor=actor,
        action=AuditAction.CASE_UPDATED,
        obj=task.case,
        extra={"task": task.rule or "manual", "outcome": outcome, "late": task.done_at > task.due_at},
    )
    return task


# Long enough for leave or a school holiday; longer than that, the task belongs to someone else (reassign).
MAX_SNOOZE = dt.timedelta(days=14)


@transaction.atomic
def task_snooze(*, actor: User, task: CaseTask, until: dt.datetime, reason: str) -> CaseTask:
    """Put a task out of its owner's list until `until`, with a reason. The deadline stays where it is."""
    task = CaseTask.objects.select_for_update().select_related("case").get(pk=task.pk)
    _require(case_policy.can(actor, "edit", task.case))
    if task.done_at:
        raise WorkflowError(_("Tugas ini sudah selesai."))
    if task.legal_duty:
        raise ValidationError(
            {"until": _("Tugas lapor polisi adalah kewajiban hukum (UU TPKS Pasal 41) dan tidak dapat ditunda.")}
        )
    now = timezone.now()
    if until <= now:
        raise ValidationError({"until": _("Pilih waktu setelah sekarang.")})
    if until > now + MAX_SNOOZE:
        raise ValidationError({"until": _("Paling lama 14 hari. Bila lebih lama, serahkan tugas ke petugas lain.")})
    if len(reason.strip()) < 5:
        raise ValidationError({"reason": _("Tuliskan alasan menunda (paling sedikit 5 karakter).")})
    task.snoozed_until, task.snooze_reason = until, reason.strip()
    task.save()
    audit_record(
        actor=actor,
        action=AuditAction.CASE_UPDATED,
        obj=task.case,
        extra={"task": task.rule or "manual", "snoozed_until": until.isoformat()},
    )
    return task


@transaction.atomic
def task_add(*, actor: User, case: Case, title: str, due_at: dt.datetime, assignee: User | None = None) -> CaseTask:
    _require(case_policy.can(actor, "edit", case))
    task = CaseTask.objects.create(
        case=case, title=title.strip(), due_at=due_at, assignee=assignee or case.case_manager or actor
    )
    audit_record(actor=actor, action=AuditAction.CASE_UPDATED, obj=case, extra={"task": "manual"})
    return task


@transaction.atomic
def service_save(*, actor: User, case: Case, version: int, service: Service | None = None, **fields) -> Service:
    _require(case_policy.can(actor, "edit", case))
    _bump(case, version)
    service = service or Service(recorded_by=actor)
    for name, value in fields.items():
        setattr(service, name, value)
    if service.victim.case_id != case.pk:
        raise Http404
    service.full_clean()
    service.save()
    audit_record(
        actor=actor,
        action=AuditAction.CASE_UPDATED,
        obj=case,
        extra={"service": service.service_type, "delivered": bool(service.delivered_on)},
    )
    return service


@transaction.atomic
def services_record_for_partner(
    *, actor: User, case: Case, victim_ids: list[int], service_type: str, provider, delivered_on: dt.date, outcome: str
) -> list[Service]:
    """A partner finished a referral and the service it gave is recorded for each child referred.

    Called by referrals.services.referral_complete, which has checked that the actor is staff of the agency the
    referral went to and that it is still theirs: partners never edit case files, so no case policy is asked.
    Only children of this case are recorded, whatever the ids say. The service is recorded as given by the
    actor's own agency, never another's, and nothing is added to a case already anonymised (retention)."""
    _require(provider is not None and provider.pk == actor.agency_id and case.anonymised_at is None)
    recorded = [
        Service.objects.create(
            victim=victim,
            service_type=service_type,
            provider=provider,
            delivered_on=delivered_on,
            outcome=outcome,
            recorded_by=actor,
        )
        for victim in Victim.objects.filter(pk__in=victim_ids, case=case)
    ]
    return recorded


@transaction.atomic
def legal_track_record_for_partner(
    *, actor: User, case: Case, police_report_number: str = "", legal_stage: str = ""
) -> LegalTrackEntry | None:
    """A partner (the police, legal aid) recorded a police report number or a stage of the legal track on a
    referral: the case shows it, attributed to the partner, and its perpetrators' legal track follows.

    Called by referrals.services.referral_record_action, which has checked that the actor is staff of the agency
    the active referral went to. A police report number completes the UU TPKS Pasal 41 task (the office's duty to
    report within 3x24 hours is met: the police have the report) with the number as its reference. The referral is
    about the whole case, so every perpetrator of the case takes the stage, and the number where none is recorded;
    their history keeps what they had. The case's version moves on, so a perpetrator form opened before gets a
    conflict instead of undoing this."""
    _require(actor.agency_id is not None and case.anonymised_at is None)
    # Only the police issue report numbers; the police and legal aid follow the legal track. What another partner
    # types stays on its referral's messages, but does not move the case's legal duty or track.
    kind = actor.agency.kind
    police_report_number = police_report_number.strip() if kind == AgencyKind.POLICE else ""
    legal_stage = legal_stage if kind in (AgencyKind.POLICE, AgencyKind.LEGAL_AID) else ""
    if not police_report_number and not legal_stage:
        return None
    locked = Case.objects.select_for_update().get(pk=case.pk)
    _bump(locked, locked.version)
    entry = LegalTrackEntry.objects.create(
        case=case,
        police_report_number=police_report_number,
        legal_stage=legal_stage,
        agency=actor.agency,
        recorded_by=actor,
    )
    today = timezone.localdate()
    order = {code: position for position, (code, _label, _active) in enumerate(LegalStageOption.objects.rows())}
    for perpetrator in case.perpetrators.all():
        # A stage only moves forward: an older step recorded late must not undo a later one.
        if legal_stage and order.get(legal_stage, -1) >= order.get(perpetrator.legal_stage, -1):
            perpetrator.legal_stage = legal_stage
        if police_report_number and not perpetrator.police_report_number:
            perpetrator.police_report_number, perpetrator.police_report_date = police_report_number, today
        perpetrator.save()
    if police_report_number:
        now = timezone.now()
        for task in case.tasks.select_for_update().filter(rule=deadlines.POLICE_REPORT, done_at__isnull=True):
            task.done_at, task.done_by, task.outcome = now, actor, "reported"
            task.note = _("Laporan polisi %(number)s, dicatat oleh %(agency)s.") % {
                "number": police_report_number,
                "agency": actor.agency.short_name or actor.agency.name,
            }
            task.save()
    audit_record(
        actor=actor,
        action=AuditAction.CASE_UPDATED,
        obj=case,
        extra={"legal_track": entry.pk, "stage": legal_stage, "police_report": bool(police_report_number)},
    )
    return entry


@transaction.atomic
def plan_item_save(
    *,
    actor: User,
    case: Case,
    version: int,
    item: PlanItem | None = None,
    victim: Victim,
    need: str,
    service_type: str,
    provider: Agency,
    responsible: User | None = None,
    target_date: dt.date | None = None,
    status: str = PlanItemStatus.PLANNED,
) -> PlanItem:
    _require(case_policy.can(actor, "edit", case))
    if victim.case_id != case.pk or (item is not None and item.case_id != case.pk):
        raise Http404
    errors = {}
    if len(need.strip()) < 5:
        errors["need"] = _("Tuliskan kebutuhan anak (paling sedikit 5 karakter).")
    if responsible is not None and not (
        responsible.agency_id == actor.agency_id and responsible.has_role(Role.CASE_MANAGER, Role.SUPERVISOR)
    ):
        errors["responsible"] = _("Pilih petugas kantor ini.")
    if errors:
        raise ValidationError(errors)
    _bump(case, version)
    item = item or PlanItem(case=case)
    item.victim, item.need, item.service_type, item.provider = victim, need.strip(), service_type, provider
    item.responsible, item.target_date, item.status = responsible, target_date, status
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        action=AuditAction.CASE_UPDATED,
        obj=case,
        extra={"plan_item": str(item.public_id), "status": status},
    )
    return item


@transaction.atomic
def plan_monitoring_add(*, actor: User, item: PlanItem, note: str) -> PlanMonitoring:
    _require(case_policy.can(actor, "edit", item.case))
    if len(note.strip()) < 5:
        raise ValidationError({"note": _("Tuliskan hasil pemantauan (paling sedikit 5 karakter).")})
    entry = PlanMonitoring.objects.create(item=item, note=note.strip(), recorded_by=actor)
    audit_record(actor=actor, action=AuditAction.CASE_UPDATED, obj=item.case, extra={"monitoring": str(item.public_id)})
    return entry


@transaction.atomic
def note_add(*, actor: User, case: Case, body: str) -> CaseNote:
    _require(case_policy.can(actor, "edit", case))
    note = CaseNote.objects.create(case=case, author=actor, body=body.strip())
    audit_record(actor=actor, action=AuditAction.CASE_UPDATED, obj=case, extra={"note": str(note.public_id)})
    return note


@transaction.atomic
def team_add(*, actor: User, case: Case, user: User, team_role: str) -> CaseTeamMember:
    """Team members (psychologist, social worker, legal aid, counsellor) may open the case from now on."""
    _require(case_policy.can(actor, "manage_team", case))
    if not (user.agency_id == actor.agency_id and user.has_role(Role.CASE_MANAGER, Role.SUPERVISOR)):
        raise ValidationError({"user": _("Pilih petugas kantor ini yang berperan pendamping atau supervisor.")})
    member, _created = CaseTeamMember.objects.update_or_create(case=case, user=user, defaults={"team_role": team_role})
    audit_record(
        actor=actor,
        action=AuditAction.CASE_UPDATED,
        obj=case,
        extra={"team_member": str(user.public_id), "team_role": team_role},
    )
    return member


@transaction.atomic
def team_remove(*, actor: User, member: CaseTeamMember) -> None:
    _require(case_policy.can(actor, "manage_team", member.case))
    case, user = member.case, member.user
    member.delete()
    audit_record(
        actor=actor, action=AuditAction.CASE_UPDATED, obj=case, extra={"team_member_removed": str(user.public_id)}
    )


@transaction.atomic
def legal_stage_option_save(
    *, actor: User | None, option: LegalStageOption, code: str, label: str, order: int, is_active: bool
) -> LegalStageOption:
    """Administrators keep the legal-stage list; every process sees the change once the shared cache is cleared."""
    option.code, option.label, option.order, option.is_active = code, label.strip(), order, is_active
    option.full_clean()
    option.save()
    audit_record(
        actor=actor,
        action=AuditAction.REFERENCE_DATA_SAVED,
        object_type="cases.legalstageoption",
        object_id=code,
        extra={"active": is_active},
    )
    transaction.on_commit(lambda: cache.delete(legal_stages.CACHE_KEY))
    return option
