"""A channel switched on (a webhook secret set) must have a sender that really sends."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Warning, register

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
