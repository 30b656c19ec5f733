"""A channel switched on (a webhook secret set) must have a sender that really sends, and no replay window may
outlast the memory of message ids."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning, register

from perisai.channels.services import SEEN_LIFETIME

CONSOLE = "perisai.channels.senders.ConsoleSender"


@register(deploy=True)
def channel_without_sender(app_configs, **kwargs):
    switched_on = settings.PERISAI_WHATSAPP_APP_SECRET or settings.PERISAI_SMS_SECRET
    if switched_on and settings.PERISAI_CHANNELS_SENDER == CONSOLE:
        return [
            Warning(
                "A WhatsApp or SMS webhook secret is set but PERISAI_CHANNELS_SENDER is the console: reporters would "
                "get no code, no PIN and no answer.",
                hint="Set PERISAI_CHANNELS_SENDER=perisai.channels.senders.HttpSender (docs/channels.md).",
                id="perisai.channels.W001",
            )
        ]
    return []


@register(deploy=True)
def one_sms_secret_both_ways(app_configs, **kwargs):
    """The key the gateway verifies Perisai's sends with should not also be the key that makes a delivery to
    Perisai genuine: a gateway (or its operator) holding it could otherwise inject reports."""
    sending = settings.PERISAI_CHANNELS_SENDER != CONSOLE and settings.PERISAI_SMS_SEND_URL
    if sending and settings.PERISAI_SMS_SECRET and not settings.PERISAI_SMS_SEND_SECRET:
        return [
            Warning(
                "PERISAI_SMS_SECRET signs both the gateway's deliveries and Perisai's sends.",
                hint="Set PERISAI_SMS_SEND_SECRET to a different secret and give it to the gateway for checking "
                "Perisai's sends (docs/channels.md).",
                id="perisai.channels.W002",
            )
        ]
    return []


@register()
def replay_windows_within_memory(app_configs=None, **kwargs):
    """A delivery inside the replay window is refused a second time only by its remembered message id: a window
    longer than the memory (SEEN_LIFETIME) would let a recorded delivery be replayed once the id is forgotten."""
    errors = []
    for name in ("PERISAI_CHANNELS_REPLAY_SECONDS", "PERISAI_WHATSAPP_REPLAY_SECONDS"):
        if getattr(settings, name) >= SEEN_LIFETIME.total_seconds():
            errors.append(
                Error(
                    f"{name} must be shorter than {int(SEEN_LIFETIME.total_seconds())} s, how long message ids are "
                    "remembered.",
                    id="perisai.channels.E001",
                )
            )
    return errors
