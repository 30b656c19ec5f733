"""Where outbound messages go: a pluggable backend named by PERISAI_CHANNELS_SENDER, like Django's e-mail
backends. A backend has one method, `send(*, channel, to, body)`, and raises on failure."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import ClassVar, Protocol

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


def get_sender() -> Sender:
    return import_string(settings.PERISAI_CHANNELS_SENDER)()
