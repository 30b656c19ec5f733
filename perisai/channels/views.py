"""The webhooks of the WhatsApp Cloud API and of an SMS gateway (docs/channels.md). Both answer at once: a
message is handled inline (a few queries) and replies are sent after commit by the worker. Nothing here logs a
body or a number."""

from __future__ import annotations

import hmac
import re

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from perisai.audit.choices import AuditAction
from perisai.channels import inbound, services, signatures
from perisai.core.security import record_safely
from perisai.reports.choices import Channel

CHALLENGE = re.compile(r"[A-Za-z0-9_-]{1,100}")  # Meta sends a number; anything else is not echoed back


def _rejected(request, channel: str, reason: str) -> HttpResponse:
    record_safely(request, AuditAction.SECURITY_WEBHOOK_REJECTED, channel=channel, reason=reason)
    return HttpResponseForbidden()


def _receive(request, channel: str, messages: list[inbound.Inbound], *, window: int | None = None) -> HttpResponse:
    for message in messages:
        if not signatures.recent(message.timestamp, seconds=window):
            record_safely(request, AuditAction.SECURITY_WEBHOOK_REJECTED, channel=channel, reason="stale")
            continue
        services.message_receive(message=message)
    return HttpResponse("ok", content_type="text/plain")


# No CSRF token: the provider has no session. Every POST must carry a valid HMAC of its exact body instead.
@csrf_exempt
@login_not_required
@require_http_methods(["GET", "POST"])
def whatsapp(request):
    if request.method == "GET":
        return _verify(request)
    if not signatures.whatsapp_signed(request.body, request.headers.get("X-Hub-Signature-256", "")):
        return _rejected(request, Channel.WHATSAPP, "signature")
    try:
        messages, statuses = inbound.parse_whatsapp(request.body)
    except inbound.PayloadInvalid:
        return HttpResponseBadRequest()
    for status in statuses:
        if status.status == "failed":  # an officer's message Meta had accepted did not reach the reporter
            services.outbound_failed(
                channel=Channel.WHATSAPP, provider_id=status.provider_id, error_code=status.error_code
            )
    return _receive(request, Channel.WHATSAPP, messages, window=settings.PERISAI_WHATSAPP_REPLAY_SECONDS)


def _verify(request):
    """Meta's subscription handshake: echo hub.challenge when hub.verify_token is ours."""
    token, challenge = request.GET.get("hub.verify_token", ""), request.GET.get("hub.challenge", "")
    expected = settings.PERISAI_WHATSAPP_VERIFY_TOKEN
    if (
        request.GET.get("hub.mode") == "subscribe"
        and expected
        and hmac.compare_digest(token.encode(), expected.encode())
        and CHALLENGE.fullmatch(challenge)
    ):
        return HttpResponse(challenge, content_type="text/plain")
    return _rejected(request, Channel.WHATSAPP, "verify_token")


@csrf_exempt
@login_not_required
@require_POST
def sms(request):
    timestamp = request.headers.get("X-Perisai-Timestamp", "")
    if not signatures.sms_signed(request.body, timestamp, request.headers.get("X-Perisai-Signature", "")):
        return _rejected(request, Channel.SMS, "signature")
    if not signatures.recent(timestamp):
        return _rejected(request, Channel.SMS, "stale")
    try:
        messages = inbound.parse_sms(request.body, timestamp)
    except inbound.PayloadInvalid:
        return HttpResponseBadRequest()
    return _receive(request, Channel.SMS, messages)
