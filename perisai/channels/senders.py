"""Where outbound messages go: a pluggable backend named by PERISAI_CHANNELS_SENDER, like Django's e-mail
backends. A backend has one method, `send(*, channel, to, body, template="")`, which returns the provider's id for
the message ("" if it gives none) and raises on failure. `template` names an approved WhatsApp message template to
send instead of the body: outside Meta's 24-hour window free text is refused (services.staff_message_deliver)."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import sys
import time
import uuid
from dataclasses import dataclass
from typing import ClassVar, Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.module_loading import import_string


class Sender(Protocol):
    def send(self, *, channel: str, to: str, body: str, template: str = "") -> str: ...


@dataclass(frozen=True)
class Sent:
    channel: str
    to: str
    body: str
    template: str = ""


class ConsoleSender:
    """Development and tests: keeps every message in `outbox` and, with DEBUG on, prints it. Never in production:
    printed messages would land in the server's logs."""

    outbox: ClassVar[list[Sent]] = []

    def send(self, *, channel: str, to: str, body: str, template: str = "") -> str:
        self.outbox.append(Sent(channel, to, body, template))
        if settings.DEBUG:
            sys.stdout.write(f"--- {channel} to {to} ---\n{body or f'[template {template}]'}\n")
        return f"console.{uuid.uuid4().hex}"  # unique, as the provider's ids are


class SendFailed(Exception):
    """The provider did not accept the message. Carries the HTTP status only, never the provider's text."""


class HttpSender:
    """Production: WhatsApp through the Cloud API (graph.facebook.com, PERISAI_WHATSAPP_ACCESS_TOKEN and
    PERISAI_WHATSAPP_PHONE_NUMBER_ID), SMS through the gateway at PERISAI_SMS_SEND_URL, signed like the gateway's
    own deliveries (docs/channels.md)."""

    timeout = 10  # seconds: the worker must not hang on a provider; an unsent message is tried again hourly

    def send(self, *, channel: str, to: str, body: str, template: str = "") -> str:
        if channel == "whatsapp":
            path = f"/{settings.PERISAI_WHATSAPP_API_VERSION}/{settings.PERISAI_WHATSAPP_PHONE_NUMBER_ID}/messages"
            payload = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to.removeprefix("+")}
            if template:
                # A template without parameters: Meta learns only that the office wrote, not what.
                language = {"code": settings.PERISAI_WHATSAPP_NOTICE_LANGUAGE}
                payload |= {"type": "template", "template": {"name": template, "language": language}}
            else:
                payload |= {"type": "text", "text": {"preview_url": False, "body": body}}
            headers = {"Authorization": f"Bearer {settings.PERISAI_WHATSAPP_ACCESS_TOKEN}"}
            answer = self._post("graph.facebook.com", path, json.dumps(payload).encode(), headers)
            return _whatsapp_message_id(answer)
        url = urlsplit(settings.PERISAI_SMS_SEND_URL)
        if url.scheme != "https" or not url.hostname:
            raise SendFailed("PERISAI_SMS_SEND_URL must be an https:// address")
        data = json.dumps({"to": to, "text": body}).encode()
        timestamp = str(int(time.time()))
        secret = settings.PERISAI_SMS_SEND_SECRET or settings.PERISAI_SMS_SECRET
        digest = hmac.new(secret.encode(), timestamp.encode() + b"." + data, hashlib.sha256)
        headers = {"X-Perisai-Timestamp": timestamp, "X-Perisai-Signature": f"sha256={digest.hexdigest()}"}
        path = url.path or "/"
        self._post(url.netloc, f"{path}?{url.query}" if url.query else path, data, headers)
        return ""  # the generic gateway format has no delivery receipts

    def _post(self, host: str, path: str, data: bytes, headers: dict[str, str]) -> bytes:
        connection = http.client.HTTPSConnection(host, timeout=self.timeout)
        try:
            connection.request("POST", path, body=data, headers={**headers, "Content-Type": "application/json"})
            response = connection.getresponse()
            answer = response.read()
        finally:
            connection.close()
        if not 200 <= response.status < 300:
            raise SendFailed(f"HTTP {response.status}")
        return answer


def _whatsapp_message_id(answer: bytes) -> str:
    """The Cloud API answers {"messages": [{"id": "wamid…"}]}: the id its delivery statuses will name."""
    try:
        messages = json.loads(answer).get("messages")
        return str(messages[0]["id"])[:128]
    except (ValueError, AttributeError, LookupError, TypeError):
        return ""


def get_sender() -> Sender:
    return import_string(settings.PERISAI_CHANNELS_SENDER)()
