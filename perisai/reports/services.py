"""Writes for reports: submission (public form and staff intake), first contact, messages, PIN checks."""

from __future__ import annotations

import datetime as dt
import hmac
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, models, router, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from perisai.accounts.choices import Role
from perisai.accounts.selectors import office_staff
from perisai.audit.choices import AuditAction
from perisai.audit.services import audit_record
from perisai.core import outage, ratelimit
from perisai.core import services as core_services
from perisai.core.attachments import AttachmentRejected
from perisai.core.choices import NotificationKind
from perisai.core.notifications import notify
from perisai.reports import codes, deadlines, events
from perisai.reports.choices import (
    HARM_TO_VIOLENCE,
    TRANSITIONS,
    UNTRIAGED,
    Channel,
    MessageSender,
    ReportStatus,
    Undelivered,
)
from perisai.reports.models import Report, ReportMessage
from perisai.reports.policies import report_policy

logger = logging.getLogger(__name__)

REPORT_FIELDS = {
    "urgent",
    "unfinished",
    "harms",
    "narrative",
    "kecamatan",
    "kelurahan",
    "location_detail",
    "place",
    "incident_date",
    "incident_period",
    "child_name",
    "child_age",
    "child_sex",
    "child_school",
    "perpetrator_description",
    "perpetrator_relationship",
    "reporter_anonymous",
    "reporter_name",
    "reporter_phone",
    "reporter_email",
    "reporter_relation",
    "contact_preference",
}
REPORTER_CONTACT_FIELDS = ("reporter_name", "reporter_phone", "reporter_email", "contact_preference")


RESEND_WINDOW = dt.timedelta(minutes=30)
CODE_ATTEMPTS = 10  # new tracking codes tried before giving up (29^8 codes: a collision is already rare)
# What report_submit found: the new report, or the one sent before (same token, or same answers from the device).
CREATED, SAME_TOKEN, SAME_ANSWERS = "created", "same_token", "same_answers"


@dataclass
class Submission:
    report: Report
    pin: str | None  # None: the same answers were sent earlier from another page; its PIN was shown then
    created: bool
    rejected_files: list[str] = field(default_factory=list)


class PinRejected(Exception):
    """Wrong code or PIN. Deliberately says nothing about which."""


class PinLocked(Exception):
    def __init__(self, until: dt.datetime):
        super().__init__(until)
        self.until = until


def report_submit(
    *,
    actor,
    fields: dict[str, Any],
    token: str,
    channel: str = Channel.WEB,
    received_at: dt.datetime | None = None,
    source_agency=None,
    uploads: Iterable = (),
    review_reasons: Iterable[str] = (),
    device: str = "",
    entered_after_fact: bool = False,
) -> Submission:
    """Record a report once per form token, then attach what files it can.

    The text is committed before any file is processed, so a bad or broken file never costs the report;
    rejected files are named back to the reporter, who can add them later at /lapor/cek/.
    """
    if (
        actor is not None
        and actor.is_authenticated
        and not (report_policy.can(actor, "create") or report_policy.can(actor, "refer_in"))
    ):
        raise Http404
    unknown = set(fields) - REPORT_FIELDS
    if unknown:
        raise TypeError(f"unknown report fields {sorted(unknown)}")
    key = codes.submission_key(token)
    pin = codes.pin_for(token)
    content_key = codes.content_key(fields, device) if device else ""
    review_reasons = sorted(set(review_reasons))
    for attempt in range(CODE_ATTEMPTS):
        # Looked up before the write's transaction, whose lock (SQLite's whole database) is then held only for the
        # INSERTs; two taps racing past this lookup meet the token's unique key, and the loop finds the winner.
        same_token, same_answers = _sent_before(content_key, key)
        if same_answers is not None:
            report, found = same_answers, SAME_ANSWERS
            break
        if same_token is not None:
            report, found = same_token, SAME_TOKEN
            break
        report = _new_report(
            actor,
            fields,
            key,
            pin,
            channel,
            received_at,
            source_agency,
            review_reasons,
            content_key,
            entered_after_fact,
        )
        try:
            _store(actor, report, entered_after_fact)
        except IntegrityError:
            # Another tap of the same form was stored first (found above on the next turn); or, about once in 10^11
            # reports, the new tracking code was taken (its uniqueness is left to the database): another code.
            if attempt == CODE_ATTEMPTS - 1:
                raise
            continue
        found = CREATED
        break
    if found == SAME_ANSWERS:
        return Submission(report=report, pin=None, created=False, rejected_files=_attach_all(actor, report, uploads))
    created = found == CREATED
    same_sender = created or _pin_shown_again(report, channel, fields, device)
    if not same_sender and actor is None:
        # Whoever holds an old form's token is not thereby the reporter: they get no PIN, and add no files to
        # someone else's report (the reporter adds files through Cek laporan, with code and PIN).
        refused = _("Berkas %(name)s tidak dilampirkan: laporan ini sudah diterima. Tambahkan lewat Cek laporan.")
        rejected = [refused % {"name": str(getattr(upload, "name", ""))[:60]} for upload in uploads]
    else:
        rejected = _attach_all(actor, report, uploads)
    return Submission(report=report, pin=pin if same_sender else None, created=created, rejected_files=rejected)


def _pin_shown_again(report: Report, channel: str, fields: dict[str, Any], device: str) -> bool:
    """A resend of the same form finds the report of its token. Its PIN is shown again only to the device that
    sent it (the same answers from the same device cookie give the same keyed fingerprint) and only within
    RESEND_WINDOW: enough for a receipt lost on a bad connection, not for someone who picks up the reporter's
    phone later and presses Back, or who copied the form's token (issue 15). A report recorded by staff or
    imported was never the sender's, whatever token they send."""
    if report.channel != channel or report.entered_after_fact or not device or not report.content_key:
        return False
    if timezone.now() - report.received_at > RESEND_WINDOW:
        return False
    return hmac.compare_digest(report.content_key, codes.content_key(fields, device))


def _sent_before(content_key: str, submission_key: str) -> tuple[Report | None, Report | None]:
    """(the report of this token, the first report of the same answers from the same device within RESEND_WINDOW
    under another token). One query of two columns for the usual answer, none; a second one loads what was found."""
    connection = connections[router.db_for_write(Report)]  # where the report would be written: never a replica
    sql, params = _sent_before_sql(connection), [submission_key]
    if content_key:
        since = connection.ops.adapt_datetimefield_value(timezone.now() - RESEND_WINDOW)
        sql, params = sql + " OR (content_key = %s AND received_at >= %s)", [submission_key, content_key, since]
    same_token = same_answers = None
    with connection.cursor() as cursor:
        # The model's order (-urgent, received_at), as .first() took them.
        cursor.execute(sql + " ORDER BY urgent DESC, received_at, id", params)
        for pk, key in cursor.fetchall():
            if key == submission_key:
                same_token = pk
            elif same_answers is None:
                same_answers = pk
    if same_token is None and same_answers is None:
        return None, None
    found = Report.objects.in_bulk([pk for pk in (same_token, same_answers) if pk is not None])
    return found.get(same_token), found.get(same_answers)


def _sent_before_sql(connection) -> str:
    # Every public report runs this lookup first: written out, it costs a tenth of what the ORM took to build it
    # (bench/profile_report.py). The column names are the model's own (db_column is not used on these fields).
    table = connection.ops.quote_name(Report._meta.db_table)
    return f"SELECT id, submission_key FROM {table} WHERE submission_key = %s"  # noqa: S608  # nosec B608


def _new_report(
    actor, fields, key, pin, channel, received_at, source_agency, review_reasons, content_key, entered_after_fact
) -> Report:
    """The report to store, validated: built before the transaction, so none of this work holds its lock."""
    received_at = received_at or timezone.now()
    fields = dict(fields)
    if fields.get("reporter_anonymous", True):
        for name in REPORTER_CONTACT_FIELDS:  # anonymous means we keep nothing that could name the reporter
            fields[name] = ""
    harms = list(dict.fromkeys(fields.get("harms") or []))
    report = Report(
        **{**fields, "harms": harms},
        violence_types=sorted({HARM_TO_VIOLENCE[harm] for harm in harms}),
        submission_key=key,
        content_key=content_key,
        tracking_code=codes.new_tracking_code(),
        channel=channel,
        source_agency=source_agency,
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
        received_at=received_at,
        entered_after_fact=entered_after_fact,
        first_contact_due_at=deadlines.first_contact_due(received_at, urgent=bool(fields.get("urgent"))),
        verification_due_at=deadlines.verification_due(received_at),
        needs_review=bool(review_reasons),
        review_reasons=review_reasons,
    )
    # public_id exists before saving, so the PIN hash goes in with the first write. Uniqueness of the code and
    # the submission key is guaranteed by the database's constraints; re-checking them here cost two queries.
    report.pin_hash = codes.pin_hash(str(report.public_id), pin)
    # Regions handed in as rows read from the database (the form resolves its codes with regions.city_region) need
    # no second look-up each; the foreign keys' constraints still guard the write.
    resolved = [name for name in ("kecamatan", "kelurahan") if _read_from_database(fields.get(name))]
    report.full_clean(exclude=resolved, validate_unique=False, validate_constraints=False)
    return report


@transaction.atomic
def _store(actor, report: Report, entered_after_fact: bool) -> None:
    """Insert the report, its urgent alert and its audit event in one transaction. The audit event comes last: it
    locks the head of the audit chain, which every write in Perisai waits for, until the commit."""
    report.save()
    received_at = report.received_at
    # "In danger now" in a report from months ago is history, not an emergency to wake the office for.
    if report.urgent and not entered_after_fact:
        _alert_urgent(actor, report)  # a notice for each intake officer and supervisor: not under the chain's lock
    audit_record(
        actor=actor,
        action=AuditAction.REPORT_RECEIVED,
        obj=report,
        extra={
            "channel": report.channel,
            "urgent": report.urgent,
            "needs_review": report.needs_review,
            **({"unfinished": True} if report.unfinished else {}),
            # The row's own time is when Perisai stored it; an old report keeps the day the office received it.
            **({"entered_after_fact": True, "received_at": received_at.isoformat()} if entered_after_fact else {}),
        },
    )


def _read_from_database(value) -> bool:
    return isinstance(value, models.Model) and value.pk is not None and not value._state.adding


def _alert_urgent(actor, report: Report) -> None:
    """A child in danger now: every intake officer and supervisor hears at once, at any hour, in the app and by
    e-mail (after commit). The text names the report's code only, never the child or the place."""
    staff = office_staff(Role.INTAKE_OFFICER, Role.SUPERVISOR)
    if actor is not None and actor.is_authenticated:
        staff = staff.exclude(pk=actor.pk)
    # The office's language, not the reporter's: the public form may have been filled in English.
    with translation.override(settings.LANGUAGE_CODE):
        message = _("DARURAT: laporan %(code)s menyatakan anak dalam bahaya sekarang. Segera tindak lanjuti.") % {
            "code": report.tracking_code
        }
    notify(
        users=staff,
        message=message,
        url=reverse("reports:detail", args=[report.public_id]),
        kind=NotificationKind.URGENT_REPORT,
    )


def _attach_all(actor, report: Report, uploads: Iterable) -> list[str]:
    rejected = []
    for upload in uploads:
        try:
            core_services.attachment_store(actor=actor, owner=report, uploaded_file=upload)
        except AttachmentRejected as reason:
            rejected.append(str(reason))
        except Exception as error:  # a broken file, a full disk or a dropped database must never cost the report
            name = str(upload.name)[:60]
            if outage.is_outage(error):
                # The report is committed and has its code and PIN: saying "not sent" now would be false. The
                # receipt names the file, and the reporter adds it later with code and PIN (Cek laporan).
                logger.warning("attachment not stored for report %s", report.public_id, extra=outage.describe(error))
                rejected.append(
                    _(
                        "Berkas %(name)s belum tersimpan karena gangguan di server kami. Tambahkan lagi nanti lewat "
                        "Cek laporan."
                    )
                    % {"name": name}
                )
                continue
            logger.exception("attachment failed for report %s", report.public_id)
            rejected.append(_("Berkas %(name)s tidak dapat diproses.") % {"name": name})
    return rejected


class InvalidTransition(Exception):
    """The report's workflow (choices.TRANSITIONS) does not allow this step from its current status."""


class AlreadyTriaged(Exception):
    """Triage was decided meanwhile (another officer opened a case from it, attached it or closed it)."""


@transaction.atomic
def report_transition(*, actor, report: Report, to: str, case=None, reason: str = "") -> Report:
    """The only writer of a report's status: enforces TRANSITIONS, links the case (to IN_CASE) or keeps the closing
    reason (to CLOSED), and audits the step in the same transaction.

    The caller decides whether the actor may take the step: triage (cases) and the reports services check their
    policies first; a referral step (referrals) moves the reporter's view along with the partner's work."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    previous = report.status
    if to not in TRANSITIONS[previous]:
        raise InvalidTransition(f"{previous} -> {to}")
    if previous == ReportStatus.CLOSED and report.case_id is None:
        raise InvalidTransition("a report closed by triage has no case to go back to")
    report.status = to
    changed = ["status", *_stamp_steps(report, previous, to)]
    if to == ReportStatus.IN_CASE and case is not None:
        if report.case_id not in (None, case.pk):
            raise InvalidTransition(f"report already belongs to case {report.case_id}")
        report.case = case
        changed.append("case")
    if to == ReportStatus.IN_CASE and report.case_id is None:
        raise InvalidTransition("a report in a case needs its case")
    if to == ReportStatus.CLOSED and previous in UNTRIAGED:
        # Triage's reason; a report whose case closed keeps no reason of its own (the case holds the closure).
        report.closing_reason = reason.strip()
        changed.append("closing_reason")
    report.save(update_fields=changed)
    audit_record(actor=actor, action=AuditAction.REPORT_STATUS_CHANGED, obj=report, extra={"from": previous, "to": to})
    if to in (ReportStatus.IN_CASE, ReportStatus.CLOSED):
        # Reports merged into this one share its triage: the same case, or the same closing.
        for merged in Report.objects.filter(merged_into=report, status__in=UNTRIAGED, case__isnull=True):
            report_transition(actor=actor, report=merged, to=to, case=report.case, reason=reason)
    return report


def _stamp_steps(report: Report, previous: str, to: str) -> list[str]:
    """Date the reporter's steps (reports.progress): a step reached is stamped once, a step undone is cleared, so
    the page never shows a partner or an ending that is no longer true."""
    now = timezone.now()
    stamps = {}
    if previous == ReportStatus.NEW and report.handled_at is None:
        stamps["handled_at"] = now
    if to == ReportStatus.REFERRED and report.referred_at is None:
        stamps["referred_at"] = now
    if previous == ReportStatus.REFERRED and to == ReportStatus.IN_CASE:
        stamps["referred_at"] = None  # every referral was declined or revoked: no partner works on it
    if to == ReportStatus.CLOSED:
        stamps["finished_at"] = now
    if previous == ReportStatus.CLOSED:
        stamps["finished_at"] = None  # the case was reopened
    for name, value in stamps.items():
        setattr(report, name, value)
    return list(stamps)


@transaction.atomic
def reports_follow_case(*, actor, case, closed: bool) -> list[Report]:
    """The case's reporters read that handling finished when the case closes, and that it is handled again when
    it is reopened (cases.services.case_transition calls this in its transaction). Reports merged into the case's
    report follow too: they belong to the same case."""
    moved = []
    if closed:
        for report in Report.objects.filter(case=case, status__in=(ReportStatus.IN_CASE, ReportStatus.REFERRED)):
            moved.append(report_transition(actor=actor, report=report, to=ReportStatus.CLOSED))
    else:
        for report in Report.objects.filter(case=case, status=ReportStatus.CLOSED):
            # Back to where it was: a partner that had the case when it closed still has it.
            to = ReportStatus.REFERRED if report.referred_at else ReportStatus.IN_CASE
            moved.append(report_transition(actor=actor, report=report, to=to))
    return moved


@transaction.atomic
def report_merge(*, actor, report: Report, into: Report) -> Report:
    """Handle `report` together with `into` (the same child or event, told twice): it leaves the inbox, and the
    triage of `into` decides for both. Both must still wait for triage; merged reports are never chained."""
    if not (report_policy.can(actor, "triage", report) and report_policy.can(actor, "triage", into)):
        raise Http404
    # Locked in id order: two officers merging A into B and B into A at once must not deadlock.
    locked = {r.pk: r for r in Report.objects.select_for_update().filter(pk__in=[report.pk, into.pk]).order_by("pk")}
    report, into = locked[report.pk], locked[into.pk]
    if report.merged_into_id is not None:
        raise AlreadyTriaged(_("Laporan ini sudah digabung ke laporan lain."))
    if report.pk == into.pk or not (untriaged(report) and untriaged(into)):
        raise AlreadyTriaged(_("Laporan ini sudah ditriase."))
    if into.merged_into_id is not None or report.merged.exists():
        raise AlreadyTriaged(_("Gabungkan ke laporan utama, bukan ke laporan yang sudah digabung."))
    report.merged_into = into
    report.save(update_fields=["merged_into"])
    audit_record(actor=actor, action=AuditAction.REPORT_MERGED, obj=report, extra={"into": str(into.public_id)})
    if report.status == ReportStatus.NEW:
        # An officer has looked at it. Its reporter is not told that another report exists (that would tell them
        # someone else saw the same child): they read its progress, which from now on follows the other's triage.
        report = report_transition(actor=actor, report=report, to=ReportStatus.IN_REVIEW)
    return report


def untriaged(report: Report) -> bool:
    """Still in the inbox: triage may open a case from it, attach it to one, or close it. A report merged into
    another is decided by that one's triage, never on its own (two cases for one child)."""
    return report.case_id is None and report.status in UNTRIAGED and report.merged_into_id is None


@transaction.atomic
def report_mark_in_review(*, actor, report: Report) -> Report:
    """The first time an intake officer opens a new report, the reporter sees "being checked"."""
    if not report_policy.can(actor, "view", report):
        raise Http404
    if report.status == ReportStatus.NEW:
        current = Report.objects.select_for_update().values_list("status", flat=True).get(pk=report.pk)
        if current == ReportStatus.NEW:  # another officer may have opened it a moment ago
            report.status = report_transition(actor=actor, report=report, to=ReportStatus.IN_REVIEW).status
    return report


@transaction.atomic
def report_record_first_contact(*, actor, report: Report, note: str, at: dt.datetime | None = None) -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not report_policy.can(actor, "record_first_contact", report):
        raise Http404
    report.first_contact_at = at or timezone.now()
    report.first_contact_by = actor
    report.first_contact_note = note.strip()
    report.save(update_fields=["first_contact_at", "first_contact_by", "first_contact_note"])
    audit_record(
        actor=actor,
        action=AuditAction.REPORT_FIRST_CONTACT,
        obj=report,
        extra={"late": report.first_contact_at > report.first_contact_due_at},
    )
    if report.status == ReportStatus.NEW:
        report = report_transition(actor=actor, report=report, to=ReportStatus.IN_REVIEW)
    return report


@transaction.atomic
def report_close(*, actor, report: Report, reason: str, handed_over: bool = False) -> Report:
    """Not a case, or handed over to another authority (Permen PPPA 2/2022: accepted, then handed over).
    The reporter only sees that handling has finished."""
    if not report_policy.can(actor, "triage", report):
        raise Http404
    if not reason.strip():
        raise ValidationError({"reason": _("Tuliskan alasannya.")})
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not untriaged(report):
        raise AlreadyTriaged(_("Laporan ini sudah ditriase."))
    report = report_transition(actor=actor, report=report, to=ReportStatus.CLOSED, reason=reason)
    audit_record(actor=actor, action=AuditAction.REPORT_CLOSED, obj=report, extra={"handed_over": handed_over})
    return report


# Retention: what is erased from a report when its case is anonymised (UU PDP 27/2022 Pasal 43-44). What the
# statistics count stays: channel, dates, kecamatan, violence types, the child's age and sex.
REPORT_ERASE = {
    "narrative": "",
    "location_detail": "",
    "child_name": "",
    "child_school": "",
    "perpetrator_description": "",
    "reporter_name": "",
    "reporter_phone": "",
    "reporter_email": "",
    "contact_preference": "",
    "first_contact_note": "",
    "closing_reason": "",
    "kelurahan": None,
}


@transaction.atomic
def report_anonymise(*, report: Report) -> Report:
    """Erase what could identify the child or the reporter, the conversation and the files; run by retention
    (cases.retention) for the reports of a case it anonymises, by the system (no actor)."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    for name, value in REPORT_ERASE.items():
        setattr(report, name, value)
    report.save()
    ReportMessage.objects.filter(report=report).delete()
    core_services.attachments_delete(owner=report)
    events.report_anonymised.fire(report_id=report.pk)
    return report


@transaction.atomic
def report_message_from_staff(*, actor, report: Report, body: str) -> ReportMessage:
    if not report_policy.can(actor, "message", report):
        raise Http404
    message = ReportMessage.objects.create(report=report, sender=MessageSender.STAFF, author=actor, body=body.strip())
    audit_record(actor=actor, action=AuditAction.REPORT_MESSAGE, obj=report, extra={"sender": "staff"})
    events.staff_message_sent.fire(message_id=message.pk)
    return message


@transaction.atomic
def report_message_undelivered(*, message_id: int, reason: str) -> bool:
    """The channel a report came by could not deliver an officer's message (perisai.channels): the thread says so,
    so the officer can call or wait for the reporter's next check. Returns False if there is no such staff message
    (deleted with its report) or it is already marked.

    A notice (only "there is a new message" went, by template) that then fails is marked again: staff must not read
    that the reporter was told when nothing arrived."""
    if reason not in Undelivered.values:
        raise ValueError(reason)
    replaceable = [""] if reason == Undelivered.NOTICE else ["", Undelivered.NOTICE]
    message = (
        ReportMessage.objects.select_for_update(of=("self",))  # not the report: staff may be editing it
        .filter(pk=message_id, sender=MessageSender.STAFF, undelivered__in=replaceable)
        .select_related("report")
        .first()
    )
    if message is None:
        return False
    message.undelivered = reason
    message.save(update_fields=["undelivered"])
    audit_record(
        actor=None, action=AuditAction.REPORT_MESSAGE_UNDELIVERED, obj=message.report, extra={"reason": reason}
    )
    return True


def report_message_from_reporter(
    *, report: Report, body: str, uploads: Iterable = ()
) -> tuple[ReportMessage | None, list[str]]:
    """The reporter adds information or files through code + PIN (checked by the caller)."""
    message = None
    if body.strip():
        with transaction.atomic():
            message = ReportMessage.objects.create(report=report, sender=MessageSender.REPORTER, body=body.strip())
            audit_record(actor=None, action=AuditAction.REPORT_MESSAGE, obj=report, extra={"sender": "reporter"})
    return message, _attach_all(None, report, uploads)


PIN_WINDOW = "reports.pin_failures"
# Compared against when the code does not exist, so both paths hash, count and write alike (issue 15: a wrong PIN
# on a real code must not take measurably longer than on a made-up one).
NO_REPORT = "00000000-0000-0000-0000-000000000000"


def report_check_pin(*, code: str, pin: str, client: str) -> Report:
    """The report for this code if the PIN is right.

    Failures are counted per code (existing or not, so a lock says nothing about whether a code exists) and per
    client address over the last PERISAI_PIN_LOCK_MINUTES; at PERISAI_PIN_MAX_ATTEMPTS for a code (six times as
    many for an address) it is locked for PERISAI_PIN_LOCK_MINUTES from that moment, and the reporter is told
    until when. Every failure and every lock is in the audit trail, on made-up codes too (probing).
    """
    window = dt.timedelta(minutes=settings.PERISAI_PIN_LOCK_MINUTES)
    client = ratelimit.address_key(client)  # an IPv6 client counts by its /64
    normalized = codes.normalize_code(code) or code.strip().upper()[:20]
    limit = settings.PERISAI_PIN_MAX_ATTEMPTS
    until = ratelimit.locked_until(PIN_WINDOW, normalized, duration=window) or ratelimit.locked_until(
        PIN_WINDOW + ".client", client, duration=window
    )
    if until:
        raise PinLocked(until)
    if ratelimit.count(PIN_WINDOW, normalized, window=window) >= limit:
        # Guesses sent at the same moment all passed the lock check above before the first of them set the lock:
        # the count stops them too.
        raise PinLocked(ratelimit.lock(PIN_WINDOW, normalized, duration=window))
    # Only what the comparison needs: loading and decrypting the whole report made a real code slower to answer.
    report = Report.objects.only("pk", "public_id", "pin_hash").filter(tracking_code=normalized).first()
    expected = report.pin_hash if report else codes.pin_hash(NO_REPORT, "")
    given = codes.pin_hash(str(report.public_id) if report else NO_REPORT, pin.strip())
    if report is not None and pin.strip() and hmac.compare_digest(given, expected):
        return report
    failures = ratelimit.hit(PIN_WINDOW, normalized, window=window)
    by_client = ratelimit.hit(PIN_WINDOW + ".client", client, window=window)
    locked = "code" if failures >= limit else "address" if by_client >= limit * 6 else ""
    with transaction.atomic():  # an exception raised in here would roll the audit rows back: raise after
        audit_record(
            actor=None,
            action=AuditAction.REPORT_PIN_FAILED,
            obj=report,
            object_type="reports.report",
            extra={"failures": failures, "unknown_code": report is None},
        )
        if locked:
            bucket, identity = (PIN_WINDOW, normalized) if locked == "code" else (PIN_WINDOW + ".client", client)
            until = ratelimit.lock(bucket, identity, duration=window)
            audit_record(
                actor=None,
                action=AuditAction.REPORT_PIN_LOCKED,
                obj=report,
                object_type="reports.report",
                extra={"locked": locked, "minutes": settings.PERISAI_PIN_LOCK_MINUTES, "unknown_code": report is None},
            )
    if not locked:
        raise PinRejected
    raise PinLocked(until)
