"""Domain events: an app announces a fact about its own data, and apps above it in the layers subscribe.

The owning app declares its events in its own `events.py` and fires them from its services (and from its own
models' save and delete, so the admin and test factories announce their writes too). A subscriber never
reaches down to change the owner's rows, and the owner never imports its subscribers: this is how statistics
follow case work without cases knowing statistics exist (docs/architecture.md, "Events").

A subscriber says when it runs:
- inside the writer's transaction (the default): for derived data that must commit or roll back with the
  change, such as the statistics tallies' recount marks or the erasure of copies shared with partners. An
  exception there rolls the change back, as it should: a change whose derived data cannot be kept is not made.
- after commit (`after_commit=True`): for side effects such as e-mail and background tasks. They run once the
  transaction commits, never if it rolls back, and a failure is logged instead of turning a saved change into
  an error page.

Payloads carry ids and codes only, never personal data, like tasks and audit events.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

Receiver = Callable[..., None]


@dataclass
class DomainEvent:
    """A named fact with a fixed payload. `fields` are the keyword arguments every receiver gets."""

    name: str
    fields: tuple[str, ...]
    _in_transaction: dict[str, Receiver] = field(default_factory=dict, repr=False)
    _after_commit: dict[str, Receiver] = field(default_factory=dict, repr=False)

    def subscribe(self, receiver: Receiver, *, after_commit: bool = False) -> Receiver:
        """Register `receiver` once (by its qualified name, so a repeated AppConfig.ready() adds nothing)."""
        key = f"{receiver.__module__}.{receiver.__qualname__}"
        (self._after_commit if after_commit else self._in_transaction)[key] = receiver
        return receiver

    def fire(self, **payload: Any) -> None:
        if set(payload) != set(self.fields):
            raise TypeError(f"{self.name} takes {sorted(self.fields)}, not {sorted(payload)}")
        for receiver in self._in_transaction.values():
            receiver(**payload)
        for receiver in self._after_commit.values():
            transaction.on_commit(_robust(self.name, receiver, payload))

    @property
    def receivers(self) -> list[Receiver]:
        return [*self._in_transaction.values(), *self._after_commit.values()]


def _robust(name: str, receiver: Receiver, payload: dict[str, Any]) -> Callable[[], None]:
    def run() -> None:
        try:
            receiver(**payload)
        except Exception:
            # The change is committed; a side effect that failed must not make it look as if it was not.
            logger.exception("after-commit receiver of %s failed", name)

    return run
