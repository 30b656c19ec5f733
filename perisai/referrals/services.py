"""Writes for referrals: send, answer, act, complete, revoke. Every step is audited on the case (so the case
timeline shows it) in the same transaction; notices go out after commit and name only the registration number."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from perisai.accounts.models import Agency, User
from perisai.accounts.selectors import partner_staff
from perisai.audit.choices import AuditAction
from perisai.audit.services import audit_record
from perisai.cases import services as case_services
from perisai.cases.choices import LawfulBasis
from perisai.cases.models import Case, Victim
from perisai.core import selectors as core_selectors
from perisai.core.choices import NotificationKind
from perisai.core.notifications import notify
from perisai.referrals.choices import ReferralStatus, SharedItem, Side, UpdateKind, Urgency
from perisai.referrals.models import (
    Referral,
    ReferralUpdate,
)
from perisai.referrals.policies import referral_policy, side_of, sides_reaching
from perisai.referrals.sharing import build_snapshot
from perisai.reports import selectors as report_selectors
from perisai.reports import services as report_services
from perisai.reports.choices import ReportStatus

# Bases that rest on someone's consent: who gave it, when and how must be written down (UU PDP Pasal 20 and 25).
CONSENT_BASES = (LawfulBasis.GUARDIAN_CONSENT, LawfulBasis.CHILD_ASSENT)


class ReferralError(Exception):
    """The step is no longer possible (e.g. the referral was revoked or answered meanwhile)."""


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404


def _audit(actor, action, referral: Referral, **extra) -> None:
    # Recorded against the case, so the case timeline shows every step; ids and codes only.
    audit_record(
        actor=actor,
        action=action,
        obj=referral.case,
        extra={
            "referral": str(referral.public_id),
            "agency": referral.agency.short_name or referral.agency.name,
            **extra,
        },
    )


def _office_people(referral: Referral) -> list[User]:
    """Who in the office hears of a partner's step: the sender and the case's manager, while they can still see
    the case (a manager who handed the case over no longer gets its news)."""
    people = {user.pk: user for user in (referral.created_by, referral.case.case_manager) if user is not None}
    return [user for user in people.values() if referral_policy.in_scope(user, referral)]


def _link(referral: Referral) -> str:
    return reverse("referrals:detail", args=[referral.public_id])


def due_for(urgency: str, now: dt.datetime) -> dt.datetime:
    hours = settings.PERISAI_REFERRAL_HOURS_URGENT if urgency == Urgency.URGENT else settings.PERISAI_REFERRAL_HOURS
    return now + dt.timedelta(hours=hours)


@transaction.atomic
def referral_send(
    *,
    actor: User,
    case: Case,
    agencies: Iterable[Agency],
    service_type: str,
    urgency: str,
    reason: str,
    victim: Victim | None = None,
    items: Iterable[str] = (),
    document_ids: Iterable[str] = (),
    basis: str = "",
    basis_note: str = "",
    override_reason: str = "",
) -> list[Referral]:
    """Refer a case (or one child in it) to one or more partner agencies, sharing the minimum plus the ticked items.

    Sharing needs a lawful basis or consent (UU PDP Pasal 20 and 25); without one only a supervisor may send,
    with a reason, and that override is audited."""
    _require(referral_policy.can(actor, "refer", case))
    agencies = list(agencies)
    items = [item for item in items if item in SharedItem.values]
    errors = {}
    if not agencies:
        errors["agencies"] = _("Pilih paling sedikit satu instansi mitra.")
    if any(agency.is_home_office for agency in agencies):
        errors["agencies"] = _("Rujukan hanya untuk instansi mitra, bukan kantor sendiri.")
    if len(reason.strip()) < 10:
        errors["reason"] = _("Tuliskan alasan rujukan dengan jelas (paling sedikit 10 karakter).")
    if victim is not None and victim.case_id != case.pk:
        raise Http404
    if basis in CONSENT_BASES and len(basis_note.strip()) < 10:
        errors["basis_note"] = _("Tuliskan siapa yang memberi persetujuan, kapan, dan bagaimana.")
    if not basis:
        if not referral_policy.can(actor, "send_without_basis"):
            errors["basis"] = _(
                "Catat dasar berbagi data atau persetujuan. Tanpa itu, hanya supervisor yang dapat mengirim rujukan."
            )
        elif len(override_reason.strip()) < 10:
            errors["override_reason"] = _(
                "Tanpa dasar berbagi data, tuliskan alasan supervisor mengirim rujukan (paling sedikit 10 karakter)."
            )
    documents = []
    if SharedItem.DOCUMENTS in items:
        documents = list(core_selectors.attachments_of(case).filter(public_id__in=list(document_ids)))
        if not documents:
            errors["documents"] = _("Pilih dokumen yang dibagikan, atau hapus centang pada 'Dokumen yang dipilih'.")
    if errors:
        raise ValidationError(errors)
    # Before any audit row: the case row is locked first, as every case write does (no lock-order deadlock).
    case_services.case_lawful_basis_from_referral(actor=actor, case=case, basis=basis, note=basis_note.strip())
    now = timezone.now()
    snapshot = json.dumps(build_snapshot(case=case, victim=victim, items=items, documents=documents))
    # The children this referral is about, fixed now: a child added to the case later was never shared.
    victim_ids = [victim.pk] if victim is not None else list(case.victims.values_list("pk", flat=True))
    batch = None
    referrals = []
    for agency in agencies:
        referral = Referral(
            case=case,
            victim=victim,
            agency=agency,
            urgency=urgency,
            service_type=service_type,
            reason=reason.strip(),
            due_at=due_for(urgency, now),
            shared_items=sorted(items),
            snapshot=snapshot,
            victim_ids=victim_ids,
            sharing_basis=basis,
            sharing_basis_note=basis_note.strip(),
            override_reason="" if basis else override_reason.strip(),
            created_by=actor,
            created_at=now,
        )
        if batch is not None:
            referral.batch = batch
        referral.save()
        batch = referral.batch
        _audit(actor, AuditAction.REFERRAL_SENT, referral, items=sorted(items), urgency=urgency, basis=basis)
        if not basis:
            _audit(actor, AuditAction.SHARING_OVERRIDE, referral)
        notify(
            users=partner_staff(agency),
            message=_("Rujukan baru untuk kasus %(number)s.") % {"number": case.registration_number},
            url=_link(referral),
            kind=NotificationKind.REFERRAL,
        )
        referrals.append(referral)
    _sync_report_status(actor, case)
    return referrals


def _sync_report_status(actor, case: Case) -> None:
    """The reporter reads "handled together with a partner agency" at /lapor/cek/ (nothing more) while a partner
    works on the case or has done so; when every referral was declined or revoked, it is the office's again."""
    active = case.referrals.exclude(status__in=(ReferralStatus.DECLINED, ReferralStatus.REVOKED)).exists()
    frm, to = (ReportStatus.IN_CASE, ReportStatus.REFERRED) if active else (ReportStatus.REFERRED, ReportStatus.IN_CASE)
    for report in report_selectors.reports_of_case(case, status=frm):
        report_services.report_transition(actor=actor, report=report, to=to)


def _locked(referral: Referral) -> Referral:
    # Lock the referral row only: steps on other referrals of the same case or agency need not wait.
    return Referral.objects.select_for_update(of=("self",)).select_related("case", "agency").get(pk=referral.pk)


def _move(actor: User, referral: Referral, to: str, **changes) -> Referral:
    referral = _locked(referral)
    # Out of scope, or a step the actor's side never takes: not found. The right side, but the status moved on
    # meanwhile (the partner accepted while the office revoked): a message, so nothing is silently lost.
    _require(referral_policy.in_scope(actor, referral) and side_of(actor) in sides_reaching(to))
    if not referral_policy.can(actor, f"to:{to}", referral):
        raise ReferralError(_("Langkah ini tidak dapat dilakukan lagi: status rujukan sudah berubah."))
    for name, value in changes.items():
        setattr(referral, name, value)
    referral.status = to
    referral.save()
    return referral


def _written(text: str, *, field: str, message: str, minimum: int = 10) -> str:
    """A reason or outcome someone must write down, stripped; too short is a message next to the field."""
    text = text.strip()
    if len(text) < minimum:
        raise ValidationError({field: message})
    return text


@transaction.atomic
def referral_accept(*, actor: User, referral: Referral) -> Referral:
    referral = _move(actor, referral, ReferralStatus.ACCEPTED, responded_at=timezone.now())
    _audit(actor, AuditAction.REFERRAL_ACCEPTED, referral)
    _tell_office(referral, _("%(agency)s menerima rujukan untuk kasus %(number)s."))
    return referral


@transaction.atomic
def referral_decline(*, actor: User, referral: Referral, reason: str) -> Referral:
    reason = _written(reason, field="reason", message=_("Tuliskan alasan menolak (paling sedikit 10 karakter)."))
    referral = _move(actor, referral, ReferralStatus.DECLINED, responded_at=timezone.now(), decline_reason=reason)
    _audit(actor, AuditAction.REFERRAL_DECLINED, referral)
    _sync_report_status(actor, referral.case)
    _tell_office(referral, _("%(agency)s menolak rujukan untuk kasus %(number)s."))
    return referral


@transaction.atomic
def referral_complete(
    *, actor: User, referral: Referral, outcome: str, record_service: bool = True, delivered_on: dt.date | None = None
) -> Referral:
    """The partner finishes; optionally the service is recorded on the case for each child referred."""
    outcome = _written(outcome, field="outcome", message=_("Tuliskan hasilnya (paling sedikit 5 karakter)."), minimum=5)
    referral = _move(actor, referral, ReferralStatus.COMPLETED, completed_at=timezone.now(), outcome=outcome)
    recorded = []
    if record_service:
        recorded = case_services.services_record_for_partner(
            actor=actor,
            case=referral.case,
            victim_ids=referral.victim_ids,
            service_type=referral.service_type,
            provider=referral.agency,
            delivered_on=delivered_on or timezone.localdate(),
            outcome=outcome,
        )
    _audit(actor, AuditAction.REFERRAL_COMPLETED, referral, services=len(recorded))
    _tell_office(referral, _("%(agency)s menyelesaikan rujukan untuk kasus %(number)s."))
    return referral


@transaction.atomic
def referral_revoke(*, actor: User, referral: Referral, reason: str) -> Referral:
    """The partner loses access at once: their selector never returns a revoked referral."""
    reason = _written(reason, field="reason", message=_("Tuliskan alasan pencabutan (paling sedikit 10 karakter)."))
    referral = _move(
        actor,
        referral,
        ReferralStatus.REVOKED,
        revoked_at=timezone.now(),
        revoked_by=actor,
        revoke_reason=reason,
    )
    _audit(actor, AuditAction.REFERRAL_REVOKED, referral)
    _sync_report_status(actor, referral.case)
    notify(
        users=partner_staff(referral.agency),
        message=_("Rujukan untuk kasus %(number)s dicabut oleh kantor.")
        % {"number": referral.case.registration_number},
        url=reverse("referrals:list"),
        kind=NotificationKind.REFERRAL,
    )
    return referral


def _tell_office(referral: Referral, template: str) -> None:
    message = template % {
        "agency": referral.agency.short_name or referral.agency.name,
        "number": referral.case.registration_number,
    }
    notify(users=_office_people(referral), message=message, url=_link(referral), kind=NotificationKind.REFERRAL)


@transaction.atomic
def referral_ask(*, actor: User, referral: Referral, body: str) -> ReferralUpdate:
    referral = _locked(referral)
    _require(referral_policy.in_scope(actor, referral) and side_of(actor) == Side.PARTNER)
    if not referral_policy.can(actor, "ask", referral):
        raise ReferralError(_("Rujukan ini sudah tidak aktif."))
    update = _message(actor, referral, UpdateKind.QUESTION, Side.PARTNER, body)
    _audit(actor, AuditAction.REFERRAL_QUESTION, referral)
    _tell_office(referral, _("%(agency)s mengajukan pertanyaan tentang rujukan kasus %(number)s."))
    return update


@transaction.atomic
def referral_answer(*, actor: User, referral: Referral, body: str) -> ReferralUpdate:
    """An answer or a later update the case manager chooses to share: the partner reads exactly this text."""
    referral = _locked(referral)
    _require(referral_policy.in_scope(actor, referral) and side_of(actor) == Side.OFFICE)
    if not referral_policy.can(actor, "answer", referral):
        raise ReferralError(_("Rujukan ini sudah tidak aktif."))
    update = _message(actor, referral, UpdateKind.ANSWER, Side.OFFICE, body)
    _audit(actor, AuditAction.REFERRAL_ANSWERED, referral)
    notify(
        users=partner_staff(referral.agency),
        message=_("Kantor menambahkan informasi pada rujukan kasus %(number)s.")
        % {"number": referral.case.registration_number},
        url=_link(referral),
        kind=NotificationKind.REFERRAL,
    )
    return update


@transaction.atomic
def referral_record_action(
    *,
    actor: User,
    referral: Referral,
    action_type: str,
    body: str = "",
    police_report_number: str = "",
    legal_stage: str = "",
) -> ReferralUpdate:
    referral = _locked(referral)
    _require(referral_policy.in_scope(actor, referral) and side_of(actor) == Side.PARTNER)
    if not referral_policy.can(actor, "record_action", referral):
        raise ReferralError(_("Tindakan hanya dapat dicatat pada rujukan yang sudah diterima dan belum selesai."))
    update = _message(
        actor,
        referral,
        UpdateKind.ACTION,
        Side.PARTNER,
        body,
        action_type=action_type,
        police_report_number=police_report_number.strip(),
        legal_stage=legal_stage,
    )
    # The case row first, then the audit chain: the order every case write takes, so two writers never wait on
    # each other in opposite orders (PostgreSQL would call it a deadlock).
    case_services.legal_track_record_for_partner(
        actor=actor, case=referral.case, police_report_number=police_report_number, legal_stage=legal_stage
    )
    _audit(actor, AuditAction.REFERRAL_ACTION, referral, partner_action=action_type, stage=legal_stage)
    _tell_office(referral, _("%(agency)s mencatat tindakan pada rujukan kasus %(number)s."))
    return update


def _message(actor, referral, kind, side, body, **fields) -> ReferralUpdate:
    if kind != UpdateKind.ACTION and len(body.strip()) < 2:
        raise ValidationError({"body": _("Tuliskan pesannya.")})
    return ReferralUpdate.objects.create(
        referral=referral, kind=kind, side=side, author=actor, body=body.strip(), **fields
    )


def referrals_notify_overdue(now: dt.datetime | None = None) -> int:
    """Tell both sides once when a referral passes its deadline unanswered (run by the daily digest)."""
    now = now or timezone.now()
    count = 0
    overdue = Referral.objects.filter(status=ReferralStatus.SENT, due_at__lt=now, overdue_notified_at__isnull=True)
    for referral in overdue.select_related("case", "agency", "created_by", "case__case_manager"):
        with transaction.atomic():
            # Claim the row first, so two overlapping digest runs do not both send the notice.
            claimed = Referral.objects.filter(pk=referral.pk, overdue_notified_at__isnull=True)
            if not claimed.update(overdue_notified_at=now):
                continue
            message = _("Rujukan kasus %(number)s ke %(agency)s melewati batas jawaban.") % {
                "number": referral.case.registration_number,
                "agency": referral.agency.short_name or referral.agency.name,
            }
            notify(
                users=[*_office_people(referral), *partner_staff(referral.agency)],
                message=message,
                url=_link(referral),
                kind=NotificationKind.REFERRAL,
            )
        count += 1
    return count


def referrals_anonymise(*, case_id: int) -> int:
    """Retention anonymised the case (cases.events.case_anonymised, inside its transaction): what partners were
    shared goes with it. The referral keeps its registration number, agency, status and dates for the
    statistics; every copied or typed text is erased."""
    count = 0
    referrals = Referral.objects.select_for_update(of=("self",)).select_related("case").filter(case_id=case_id)
    for referral in referrals:
        referral.snapshot = json.dumps({"registration_number": referral.case.registration_number, "anonymised": True})
        referral.reason = "-"
        referral.sharing_basis_note = referral.override_reason = referral.decline_reason = ""
        referral.outcome = referral.revoke_reason = ""
        referral.save()
        referral.updates.update(body="", police_report_number="")
        count += 1
    return count
