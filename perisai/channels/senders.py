"""Where outbound messages go: a pluggable backend named by PERISAI_CHANNELS_SENDER, like Django's e-mail
backends. A backend has one method, `send(*, channel, to, body)`, and raises on failure."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import sys
import time
from dataclasses import dataclass
from typing import ClassVar, Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.module_loading import import_string


class Sender(Protocol):
    def send(self, *, channel: str, to: str, body: str) -> None: ...


@dataclass(frozen=True)
class Sent:
    channel: str
    to: str
    body: str


class ConsoleSender:
    """Development and tests: keeps every message in `outbox` and, with DEBUG on, prints it. Never in production:
    printed messages would land in the server's logs."""

    outbox: ClassVar[list[Sent]] = []

    def send(self, *, channel: str, to: str, body: str) -> None:
        self.outbox.append(Sent(channel, to, body))
        if settings.DEBUG:
            sys.stdout.write(f"--- {channel} to {to} ---\n{body}\n")


class SendFailed(Exception):
    """The provider did not accept the message. Carries the HTTP status only, never the provider's text."""


class HttpSender:
    """Production: WhatsApp through the Cloud API (graph.facebook.com, PERISAI_WHATSAPP_ACCESS_TOKEN and
    PERISAI_WHATSAPP_PHONE_NUMBER_ID), SMS through the gateway at PERISAI_SMS_SEND_URL, signed like the gateway's
    own deliveries (docs/channels.md)."""

    timeout = 10  # seconds: the worker must not hang on a provider; an unsent message is tried again hourly

    def send(self, *, channel: str, to: str, body: str) -> None:
        if channel == "whatsapp":
            path = f"/{settings.PERISAI_WHATSAPP_API_VERSION}/{settings.PERISAI_WHATSAPP_PHONE_NUMBER_ID}/messages"
            payload = {
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": to.removeprefix("+"),
                "type": "text",
                "text": {"preview_url": False, "body": body},
            }
            headers = {"Authorization": f"Bearer {settings.PERISAI_WHATSAPP_ACCESS_TOKEN}"}
            self._post("graph.facebook.com", path, json.dumps(payload).encode(), headers)
            return
        url = urlsplit(settings.PERISAI_SMS_SEND_URL)
        if url.scheme != "https" or not url.hostname:
            raise SendFailed("PERISAI_SMS_SEND_URL must be an https:// address")
        data = json.dumps({"to": to, "text": body}).encode()
        timestamp = str(int(time.time()))
        digest = hmac.new(settings.PERISAI_SMS_SECRET.encode(), timestamp.encode() + b"." + data, hashlib.sha256)
        headers = {"X-Perisai-Timestamp": timestamp, "X-Perisai-Signature": f"sha256={digest.hexdigest()}"}
        path = url.path or "/"
        self._post(url.netloc, f"{path}?{url.query}" if url.query else path, data, headers)

    def _post(self, host: str, path: str, data: bytes, headers: dict[str, str]) -> None:
        connection = http.client.HTTPSConnection(host, timeout=self.timeout)
        try:
            connection.request("POST", path, body=data, headers={**headers, "Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
        finally:
            connection.close()
        if not 200 <= response.status < 300:
            raise SendFailed(f"HTTP {response.status}")


def get_sender() -> Sender:
    return import_string(settings.PERISAI_CHANNELS_SENDER)()
