"""What the two webhooks deliver, read into one shape. Anything that does not look like a message is skipped:
Meta also posts delivery receipts ("statuses", read beside the messages by parse_whatsapp), and a gateway may post
a test ping."""

from __future__ import annotations

import json
from dataclasses import dataclass

import phonenumbers

from perisai.reports.choices import Channel

MAX_TEXT = 2_000  # longer texts are cut: an answer here is a number, a name or a command


class PayloadInvalid(Exception):
    """Not JSON, or not the provider's shape. Says nothing more: the body may hold a message."""


@dataclass(frozen=True)
class Inbound:
    channel: str
    message_id: str
    sender: str  # E.164, e.g. +6281234567890
    text: str  # "" for a photo, a voice note or a sticker: the conversation asks for words
    timestamp: str  # unix seconds, as the provider signed it


def e164(number: object) -> str:
    """An Indonesian number in any usual spelling (0812…, 62812…, +62 812-…) as E.164; "" if it is not one."""
    raw = str(number or "").strip()
    if not raw or len(raw) > 20:
        return ""
    if raw[0].isdigit() and not raw.startswith("0"):
        raw = "+" + raw  # WhatsApp sends 6281234567890
    try:
        parsed = phonenumbers.parse(raw, "ID")
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(parsed):
        return ""
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _load(body: bytes) -> object:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise PayloadInvalid from None


def _message(channel: str, message_id: object, sender: object, text: object, timestamp: object) -> Inbound | None:
    number = e164(sender)
    if not number or not isinstance(message_id, str | int) or not str(message_id).strip():
        return None
    text = text if isinstance(text, str) else ""
    return Inbound(channel, str(message_id)[:200], number, text.strip()[:MAX_TEXT], str(timestamp or ""))


@dataclass(frozen=True)
class Status:
    """A delivery receipt for a message we sent: entry[].changes[].value.statuses[]."""

    provider_id: str
    status: str  # sent, delivered, read, failed
    error_code: int | None


def parse_whatsapp(body: bytes) -> tuple[list[Inbound], list[Status]]:
    """The Cloud API's webhook: the messages (entry[].changes[].value.messages[], text in text.body) and the
    delivery statuses (…value.statuses[]) of one signed body, read once. Of a status only the id, the status and
    the first error's code are read: the rest names the recipient."""
    payload = _load(body)
    if not isinstance(payload, dict) or not isinstance(payload.get("entry"), list):
        raise PayloadInvalid
    messages, statuses = [], []
    for value in _values(payload["entry"]):
        for item in _dicts(value.get("messages")):
            text = item.get("text", {}).get("body") if isinstance(item.get("text"), dict) else ""
            message = _message(Channel.WHATSAPP, item.get("id"), item.get("from"), text, item.get("timestamp"))
            if message is not None:
                messages.append(message)
        for item in _dicts(value.get("statuses")):
            if not isinstance(item.get("id"), str) or not item["id"].strip():
                continue
            first = next(iter(_dicts(item.get("errors"))), {})
            code = first.get("code")
            status = item.get("status") if isinstance(item.get("status"), str) else ""
            statuses.append(Status(item["id"][:128], status, code if isinstance(code, int) else None))
    return messages, statuses


def _values(entries: list) -> list[dict]:
    changes = [change for entry in _dicts(entries) for change in _dicts(entry.get("changes"))]
    return [change["value"] for change in changes if isinstance(change.get("value"), dict)]


def _dicts(items: object) -> list[dict]:
    """The dicts in a list; nothing for anything else (a provider's shape is never trusted)."""
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def parse_sms(body: bytes, timestamp: str) -> list[Inbound]:
    """Perisai's generic SMS format (docs/channels.md): {"id": …, "from": …, "text": …}."""
    payload = _load(body)
    if not isinstance(payload, dict):
        raise PayloadInvalid
    message = _message(Channel.SMS, payload.get("id"), payload.get("from"), payload.get("text"), timestamp)
    if message is None:
        raise PayloadInvalid
    return [message]
