"""What the two webhooks deliver, read into one shape. Anything that does not look like a message is skipped:
Meta also posts delivery receipts ("statuses", read apart by parse_whatsapp_statuses), and a gateway may post a
test ping."""

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


def parse_whatsapp(body: bytes) -> list[Inbound]:
    """The Cloud API's webhook: entry[].changes[].value.messages[] (text messages carry text.body)."""
    payload = _load(body)
    if not isinstance(payload, dict) or not isinstance(payload.get("entry"), list):
        raise PayloadInvalid
    found = []
    for entry in payload["entry"]:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        for change in changes if isinstance(changes, list) else []:
            value = change.get("value") if isinstance(change, dict) else None
            messages = value.get("messages") if isinstance(value, dict) else None
            for item in messages if isinstance(messages, list) else []:
                if not isinstance(item, dict):
                    continue
                text = item.get("text", {}).get("body") if isinstance(item.get("text"), dict) else ""
                message = _message(Channel.WHATSAPP, item.get("id"), item.get("from"), text, item.get("timestamp"))
                if message is not None:
                    found.append(message)
    return found


@dataclass(frozen=True)
class Status:
    """A delivery receipt for a message we sent: entry[].changes[].value.statuses[]."""

    provider_id: str
    status: str  # sent, delivered, read, failed
    error_code: int | None


def parse_whatsapp_statuses(body: bytes) -> list[Status]:
    """The statuses in a Cloud API webhook (the same signed body as its messages). Only the id, the status and the
    first error's code are read: the rest names the recipient."""
    payload = _load(body)
    found = []
    for entry in payload.get("entry", []) if isinstance(payload, dict) else []:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        for change in changes if isinstance(changes, list) else []:
            value = change.get("value") if isinstance(change, dict) else None
            statuses = value.get("statuses") if isinstance(value, dict) else None
            for item in statuses if isinstance(statuses, list) else []:
                if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"].strip():
                    continue
                errors = item.get("errors")
                code = (
                    errors[0].get("code")
                    if isinstance(errors, list) and errors and isinstance(errors[0], dict)
                    else None
                )
                status = item.get("status") if isinstance(item.get("status"), str) else ""
                found.append(Status(item["id"][:128], status, code if isinstance(code, int) else None))
    return found


def parse_sms(body: bytes, timestamp: str) -> list[Inbound]:
    """Perisai's generic SMS format (docs/channels.md): {"id": …, "from": …, "text": …}."""
    payload = _load(body)
    if not isinstance(payload, dict):
        raise PayloadInvalid
    message = _message(Channel.SMS, payload.get("id"), payload.get("from"), payload.get("text"), timestamp)
    if message is None:
        raise PayloadInvalid
    return [message]
