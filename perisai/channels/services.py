"""Writes of the channels app: a message received (dedupe, limits, commands, the conversation, the report),
messages sent, drafts expired. A report is created only through reports.services.report_submit, with the
same code + PIN, urgent alert and anti-abuse rules as the public form."""

from __future__ import annotations

import datetime as dt
import json
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from perisai.audit.choices import AuditAction
from perisai.audit.services import audit_record
from perisai.channels import conversation, replies, signatures
from perisai.channels.inbound import Inbound
from perisai.channels.models import Conversation, Outbound, ReporterLink, SeenMessage
from perisai.channels.senders import get_sender
from perisai.core import crypto, ratelimit
from perisai.regions.selectors import region_by_code
from perisai.reports import antiabuse
from perisai.reports import selectors as report_selectors
from perisai.reports import services as report_services
from perisai.reports.choices import Channel, Undelivered

logger = logging.getLogger(__name__)

HOUR = dt.timedelta(hours=1)
# A day is enough to finish a report interrupted by a weak signal or a phone taken away; a draft nobody finished by
# then is erased rather than kept (UU PDP 27/2022 Pasal 16: personal data kept no longer than its purpose needs).
DRAFT_LIFETIME = dt.timedelta(hours=24)
# Long enough to find a number, ask someone, or walk to where the signal is; short enough that the office hears
# of a child in danger while it still matters (the reporter had the emergency numbers at once).
URGENT_DRAFT_WAIT = dt.timedelta(minutes=10)
SEEN_LIFETIME = dt.timedelta(days=2)  # far longer than the replay window: older deliveries fail that check anyway
SEND_ATTEMPTS = 3
# Meta's customer service window: free text only within 24 hours of the reporter's last message. A margin for the
# queue and the worker, so a message is not sent at 23:59 and refused at 24:00.
WHATSAPP_WINDOW = dt.timedelta(hours=24) - dt.timedelta(minutes=15)
# Cloud API error 131047, "Re-engagement message": the window had closed.
WINDOW_CLOSED_ERRORS = frozenset({131047})


def sender_key(number: str) -> str:
    return Conversation._meta.get_field("sender_index").index_for(number)


@transaction.atomic
def message_receive(*, message: Inbound) -> str:
    """Handle one signed, recent message; returns what happened (for the tests and the count in the logs). Never
    raises for what a person typed."""
    try:
        with transaction.atomic():
            key = crypto.blind_index(message.message_id, purpose="channels.message_id")
            SeenMessage.objects.create(channel=message.channel, key=key)
    except IntegrityError:
        return "duplicate"  # the provider retried, or someone replays a recorded delivery
    sender = sender_key(message.sender)
    # Any message opens WhatsApp's window again, counted from when it was written (Meta re-delivers late).
    now = timezone.now()
    written = min(signatures.written_at(message.timestamp) or now, now)
    ReporterLink.objects.filter(channel=message.channel, address_index=sender, last_inbound_at__lt=written).update(
        last_inbound_at=written
    )
    if ratelimit.hit("channels.messages", sender, window=HOUR) > settings.PERISAI_CHANNELS_MESSAGES_PER_HOUR:
        return "limited"  # no answer: a flood must not make the office's number send a flood back
    with translation.override(settings.LANGUAGE_CODE):
        outcome, text = _respond(message, sender)
    if text:
        outbound_queue(channel=message.channel, to=message.sender, body=text)
    return outcome


def _respond(message: Inbound, sender: str) -> tuple[str, str]:
    words = message.text.split(maxsplit=3)
    command = words[0].upper() if words else ""
    if command in ("STATUS", "BALAS"):
        return _command(message, sender, command, words[1:])
    draft = _draft_of(message.channel, sender)
    if draft is not None and draft.step == conversation.FORWARDED:
        return _after_forward(draft, message, command)
    if command == "BATAL":
        if draft is not None:
            draft.delete()
            audit_record(actor=None, action=AuditAction.CHANNEL_DRAFT_DISCARDED, object_type="channels.conversation")
        return "discarded", replies.discarded()
    if draft is None:
        step = conversation.start()
        try:
            with transaction.atomic():
                draft = Conversation.objects.create(
                    channel=message.channel, sender=message.sender, step=step.step, answers=json.dumps(step.answers)
                )
        except IntegrityError:
            # Two first messages of one number at once (on PostgreSQL; SQLite serialises writes): the other one
            # started the draft. This one is answered with the draft's question, not a 500 and a retry.
            draft = _draft_of(message.channel, sender)
            return "draft", conversation.question(draft.step, json.loads(draft.answers))
        audit_record(actor=None, action=AuditAction.CHANNEL_DRAFT_STARTED, obj=draft, extra={"channel": draft.channel})
        return "draft", "\n\n".join(step.replies)
    answers = json.loads(draft.answers)
    if not message.text:
        # A voice note or a photo is the reporter still there: the ten minutes before an urgent draft is forwarded
        # start again.
        draft.updated_at = timezone.now()
        draft.save(update_fields=["updated_at"])
        return "draft", replies.words_please() + "\n" + conversation.question(draft.step, answers)
    step = conversation.answer(draft.step, answers, message.text)
    if step.step == conversation.DONE:
        return _submit(draft, step.answers, sender)
    draft.step, draft.answers, draft.updated_at = step.step, json.dumps(step.answers), timezone.now()
    draft.save(update_fields=["step", "answers", "updated_at"])
    return "draft", "\n\n".join(step.replies)


def _draft_of(channel: str, sender: str) -> Conversation | None:
    return Conversation.objects.select_for_update().filter(channel=channel, sender_index=sender).first()


def _submit(draft: Conversation, answers: dict, sender: str, *, finished: bool = True) -> tuple[str, str]:
    """The last answer (or, for an urgent draft left half-way, the answers so far): the report, through the same
    service, limits and review flags as the public form."""
    count = antiabuse.count_sender(sender)
    if antiabuse.is_flood(count, None):
        return "flooded", replies.flooded()  # the draft stays: the last answer can be sent again later
    # Unfinished, the contact question was never answered: anonymous, because only the reporter may agree to staff
    # seeing their number (UU PDP 27/2022 Pasal 20). The number is still kept, encrypted, for the office's replies.
    anonymous = answers.get("anonymous", True)
    fields = {
        "urgent": answers["urgent"],
        "unfinished": not finished,
        "harms": answers.get("harms", []),
        "kecamatan": region_by_code(answers["kecamatan"]) if answers.get("kecamatan") else None,
        "kelurahan": region_by_code(answers["kelurahan"]) if answers.get("kelurahan") else None,
        "child_age": answers.get("child_age"),
        "reporter_anonymous": anonymous,
        # Not anonymous: the number they wrote from is the contact staff see and call back.
        "reporter_phone": "" if anonymous else draft.sender,
    }
    submission = report_services.report_submit(
        actor=None,
        fields=fields,
        token=f"channels:{draft.token}",
        channel=draft.channel,
        # Unfinished, the office heard of it when the conversation began, and the first-contact clock runs from then.
        received_at=None if finished else draft.started_at,
        review_reasons=antiabuse.rate_reasons(count, None),
    )
    link = {"channel": draft.channel, "address": draft.sender}
    if not finished:
        link["last_inbound_at"] = draft.updated_at  # WhatsApp's window runs from their last message, not from now
    ReporterLink.objects.get_or_create(report=submission.report, defaults=link)
    if finished:
        draft.delete()
        return "report", replies.receipt(submission.report.tracking_code, submission.pin)
    # Kept as a marker, not deleted: what the reporter writes next goes to this report, not into a new one.
    draft.step = conversation.FORWARDED
    draft.answers = json.dumps({"report": str(submission.report.public_id)})
    draft.updated_at = timezone.now()
    draft.save(update_fields=["step", "answers", "updated_at"])
    return "report", replies.forwarded_unfinished(submission.report.tracking_code, submission.pin)


def _after_forward(draft: Conversation, message: Inbound, command: str) -> tuple[str, str]:
    """The reporter writes again after their urgent draft was forwarded: the words go to that report's conversation
    (staff see them there), until the draft expires a day after their last message. BATAL ends this; the next
    message then starts a new report."""
    report = report_selectors.report_for_reporter(public_id=json.loads(draft.answers)["report"])
    if report is None or command == "BATAL":
        draft.delete()
        if report is None:  # anonymised by retention, or erased: nothing to add to
            return _respond(message, draft.sender_index)
        return "discarded", replies.forward_ended(report.tracking_code)
    draft.updated_at = timezone.now()
    draft.save(update_fields=["updated_at"])
    if not message.text:
        return "answer", replies.words_please()
    report_services.report_message_from_reporter(report=report, body=message.text)
    return "answer", replies.added_to_forwarded(report.tracking_code)


def _command(message: Inbound, sender: str, command: str, words: list[str]) -> tuple[str, str]:
    """STATUS <code> <PIN> and BALAS <code> <PIN> <text>: the reporter's way back, as /lapor/cek/. Wrong PINs
    count against the code and against this number (in place of the address) exactly as on the web."""
    if len(words) < 2 or (command == "BALAS" and len(words) < 3):
        return "help", replies.command_help()
    try:
        found = report_services.report_check_pin(code=words[0], pin=words[1], client=f"{message.channel}:{sender}")
    except report_services.PinLocked as locked:
        return "locked", replies.pin_locked(locked.until)
    except report_services.PinRejected:
        return "rejected", replies.pin_rejected()
    report = report_selectors.report_for_reporter(public_id=found.public_id)
    if command == "STATUS":
        return "status", replies.status(report)
    report_services.report_message_from_reporter(report=report, body=words[2])
    return "answer", replies.answer_received(report.tracking_code)


def outbound_queue(
    *, channel: str, to: str, body: str, template: str = "", report_id: int | None = None, message_id: int | None = None
) -> Outbound:
    outbound = Outbound.objects.create(
        channel=channel, to=to, body=body, template=template, report_id=report_id, message_id=message_id
    )
    _enqueue(outbound.pk)
    return outbound


def outbound_send(*, outbound_id: int) -> bool:
    """Send one queued message through the configured backend; the number and words are erased once sent. The
    row stays locked while sending, so two workers never send it twice."""
    with transaction.atomic():
        outbound = Outbound.objects.select_for_update().filter(pk=outbound_id, sent_at__isnull=True).first()
        if outbound is None or outbound.attempts >= SEND_ATTEMPTS or not outbound.to:
            return False
        if outbound.message_id is not None and not outbound.template and _window_closed(_link_of(outbound)):
            # Queued inside the window, but a retry (a provider outage, a stopped worker) came after it closed.
            outbound.template = _notice_instead(outbound.message_id)
            if not outbound.template:
                outbound.to, outbound.body, outbound.attempts = "", "", SEND_ATTEMPTS
                outbound.save(update_fields=["to", "body", "attempts"])
                return False
            outbound.body = ""
            outbound.save(update_fields=["template", "body"])
        outbound.attempts += 1
        try:
            sent = get_sender().send(
                channel=outbound.channel, to=outbound.to, body=outbound.body, template=outbound.template
            )
        except Exception as error:
            # The class only: a provider's error text may quote the number or the message.
            logger.warning("channel message %s not sent: %s", outbound.pk, type(error).__name__)
            outbound.save(update_fields=["attempts"])
            if outbound.attempts >= SEND_ATTEMPTS:
                _undelivered(outbound, Undelivered.FAILED)
            return False
        outbound.sent_at, outbound.to, outbound.body = timezone.now(), "", ""
        outbound.provider_id = str(sent or "")[:128]
        outbound.save(update_fields=["attempts", "sent_at", "to", "body", "provider_id"])
    return True


def outbound_failed(*, channel: str, provider_id: str, error_code: int | None) -> bool:
    """The provider reports that a message it had accepted was not delivered (WhatsApp's "failed" status): an
    officer's message is marked for staff. Returns whether a message of ours was found."""
    if not provider_id:
        return False
    with transaction.atomic():
        outbound = Outbound.objects.filter(channel=channel, provider_id=provider_id).first()
        if outbound is None:
            return False
        reason = Undelivered.WINDOW if error_code in WINDOW_CLOSED_ERRORS else Undelivered.FAILED
        _undelivered(outbound, reason)
    return True


def _link_of(outbound: Outbound) -> ReporterLink | None:
    return ReporterLink.objects.filter(report_id=outbound.report_id).first() if outbound.report_id else None


def _undelivered(outbound: Outbound, reason: str) -> None:
    if outbound.message_id is not None:
        report_services.report_message_undelivered(message_id=outbound.message_id, reason=reason)


def staff_message_deliver(*, message_id: int) -> Outbound | None:
    """An officer's message to a reporter who came by WhatsApp or SMS goes there too (after commit)."""
    message = report_selectors.staff_message(message_id=message_id)
    link = ReporterLink.objects.filter(report_id=message.report_id).first() if message else None
    if link is None:
        return None
    with transaction.atomic():
        template = ""
        if _window_closed(link):
            # Meta would refuse the words. An approved template without parameters tells the reporter that the
            # office wrote; without one, staff are told the message did not go (the thread shows it).
            template = _notice_instead(message.pk)
            if not template:
                return None
        with translation.override(settings.LANGUAGE_CODE):
            body = "" if template else replies.staff_message(message.report.tracking_code, message.body)
        return outbound_queue(
            channel=link.channel,
            to=link.address,
            body=body,
            template=template,
            report_id=message.report_id,
            message_id=message.pk,
        )


def _window_closed(link: ReporterLink | None) -> bool:
    return (
        link is not None
        and link.channel == Channel.WHATSAPP
        and timezone.now() - link.last_inbound_at >= WHATSAPP_WINDOW
    )


def _notice_instead(message_id: int) -> str:
    """The officer's words cannot go: the template to send instead ("" if none is configured), with the message
    marked for staff either way."""
    template = settings.PERISAI_WHATSAPP_NOTICE_TEMPLATE
    reason = Undelivered.NOTICE if template else Undelivered.WINDOW
    report_services.report_message_undelivered(message_id=message_id, reason=reason)
    return template


def reporter_link_erase(*, report_id: int) -> None:
    """Retention anonymised the report: the number it came from goes with the rest (UU PDP 27/2022 Pasal 43), and
    so do the officer's messages still waiting to be sent to it."""
    ReporterLink.objects.filter(report_id=report_id).delete()
    Outbound.objects.filter(report_id=report_id).delete()


def conversations_forward_urgent(*, now: dt.datetime | None = None) -> int:
    """Every minute (ops.jobs): a reporter who said a child is in danger now, then stopped answering for
    URGENT_DRAFT_WAIT (the phone taken away, no credit, fear), has their answers so far sent to the office as an
    unfinished urgent report: the urgent alert goes out, and staff can write back on the same channel. The reporter
    is told, with the code and PIN. Returns the number of reports made."""
    now = now or timezone.now()
    idle = now - URGENT_DRAFT_WAIT
    forwarded = 0
    waiting = Conversation.objects.filter(updated_at__lt=idle).order_by("updated_at").values_list("pk", "answers")
    # Decrypted to be read: the draft keeps even "a child in danger now" out of plain sight (models.py). Read without
    # a lock first: most idle drafts said no one is in danger now (or are markers of a forwarded one),
    # and a write transaction each, every minute, would take SQLite's one write lock for nothing.
    urgent = [pk for pk, answers in waiting if json.loads(answers).get("urgent")]
    for draft_id in urgent:
        try:
            forwarded += _forward(draft_id, idle=idle)
        except Exception as error:
            # One draft that fails must not hold up the others; the class only, as a database error can quote a row.
            logger.error("urgent draft %s not forwarded: %s", draft_id, type(error).__name__)
    return forwarded


@transaction.atomic
def _forward(draft_id: int, *, idle: dt.datetime) -> bool:
    # Locked and read again: the reporter may have answered (or finished) since the list was read.
    draft = Conversation.objects.select_for_update().filter(pk=draft_id, updated_at__lt=idle).first()
    if draft is None or draft.step == conversation.FORWARDED:
        return False
    answers = json.loads(draft.answers)
    if not answers.get("urgent") or antiabuse.sender_would_flood(draft.sender_index):
        return False  # a number over the hard limit is refused as the form would refuse it; its draft expires
    # A run made up a day late (the scheduler was down): Meta would refuse the words, so none are sent.
    window_closed = draft.channel == Channel.WHATSAPP and timezone.now() - draft.updated_at >= WHATSAPP_WINDOW
    with translation.override(settings.LANGUAGE_CODE):
        outcome, text = _submit(draft, answers, draft.sender_index, finished=False)
    if outcome != "report":
        return False
    if not window_closed:
        outbound_queue(channel=draft.channel, to=draft.sender, body=text)
    return True


def conversations_expire(*, now: dt.datetime | None = None) -> int:
    """Hourly (ops.jobs): drafts untouched for DRAFT_LIFETIME and old message ids are erased, messages not sent
    within a day are given up (a reply to a question asked a day ago only confuses), and messages still waiting
    are queued again. Returns the number of drafts erased. Urgent drafts are forwarded first, in their own
    transactions, so that one the minute job missed (it failed, say) is not erased unread."""
    now = now or timezone.now()
    conversations_forward_urgent(now=now)
    return _expire(now)


@transaction.atomic
def _expire(now: dt.datetime) -> int:
    expired, _kinds = Conversation.objects.filter(updated_at__lt=now - DRAFT_LIFETIME).delete()
    if expired:
        audit_record(actor=None, action=AuditAction.CHANNEL_DRAFTS_EXPIRED, extra={"count": expired})
    SeenMessage.objects.filter(received_at__lt=now - SEEN_LIFETIME).delete()
    stale = Outbound.objects.filter(created_at__lt=now - DRAFT_LIFETIME)
    for outbound in stale.filter(sent_at__isnull=True, message_id__isnull=False):
        _undelivered(outbound, Undelivered.FAILED)  # the worker never managed it: staff must know
    stale.delete()
    waiting = Outbound.objects.filter(
        sent_at__isnull=True, attempts__lt=SEND_ATTEMPTS, created_at__lt=now - dt.timedelta(minutes=5)
    )
    for outbound_id in waiting.values_list("pk", flat=True):
        _enqueue(outbound_id)
    return expired


def _enqueue(outbound_id: int) -> None:
    from perisai.channels.tasks import send_outbound  # tasks import this module

    transaction.on_commit(lambda: send_outbound.enqueue(outbound_id))  # the id only
