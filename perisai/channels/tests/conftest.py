"""Webhook deliveries replayed from recorded payloads (payloads/), signed as the provider signs them."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from pathlib import Path

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from perisai.channels.senders import ConsoleSender
from perisai.channels.tasks import send_outbound

PAYLOADS = Path(__file__).parent / "payloads"
APP_SECRET = "test-meta-app-secret"
SMS_SECRET = "test-sms-gateway-secret"
VERIFY_TOKEN = "test-verify-token"
# The recorded conversation began at 22:40 in Cilegon (its payloads carry this moment's unix timestamps).
RECORDED_AT = dt.datetime(2026, 3, 10, 22, 40, tzinfo=dt.timezone(dt.timedelta(hours=7)))
WHATSAPP_URL, SMS_URL = "/saluran/whatsapp/", "/saluran/sms/"


def recorded(name: str) -> bytes:
    return (PAYLOADS / name).read_bytes()


def meta_signature(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def sms_signature(body: bytes, timestamp: str, secret: str = SMS_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def whatsapp_text(text: str, *, message_id: str, at: dt.datetime) -> bytes:
    """A text message shaped like the recorded ones, for answers only known during the test (code and PIN)."""
    payload = json.loads(recorded("whatsapp/01_halo.json"))
    message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    message.update(id=message_id, timestamp=str(int(at.timestamp())), text={"body": text})
    return json.dumps(payload).encode()


@pytest.fixture(autouse=True)
def channel_settings(settings):
    settings.PERISAI_WHATSAPP_APP_SECRET = APP_SECRET
    settings.PERISAI_WHATSAPP_VERIFY_TOKEN = VERIFY_TOKEN
    settings.PERISAI_SMS_SECRET = SMS_SECRET
    settings.PERISAI_CHANNELS_SENDER = "perisai.channels.senders.ConsoleSender"
    settings.PERISAI_CHANNELS_REPLAY_SECONDS = 300
    settings.PERISAI_WHATSAPP_REPLAY_SECONDS = 24 * 3600
    ConsoleSender.outbox.clear()
    yield
    ConsoleSender.outbox.clear()


@pytest.fixture
def at_recording():
    """The clock where the recorded conversation happened; `clock.move_to(...)` moves it on."""
    with time_machine.travel(RECORDED_AT, tick=False) as clock:
        yield clock


@pytest.fixture
def webhook(client, django_capture_on_commit_callbacks, at_recording):
    """At the recorded moment (`webhook.clock` moves it), deliver like the provider: post a signed body, run what
    waits for the commit, then the queued sends as the worker would. The replies land in ConsoleSender.outbox."""

    class Webhook:
        clock = at_recording

        def whatsapp(self, body: bytes, *, signature: str | None = None):
            signature = meta_signature(body) if signature is None else signature
            return self._post(WHATSAPP_URL, body, HTTP_X_HUB_SIGNATURE_256=signature)

        def sms(self, body: bytes, *, timestamp: str | None = None, signature: str | None = None):
            from django.utils import timezone

            timestamp = str(int(timezone.now().timestamp())) if timestamp is None else timestamp
            signature = sms_signature(body, timestamp) if signature is None else signature
            return self._post(SMS_URL, body, HTTP_X_PERISAI_TIMESTAMP=timestamp, HTTP_X_PERISAI_SIGNATURE=signature)

        def run(self, job):
            """A scheduled job (services.conversations_expire, say), then the worker's sends."""
            with django_capture_on_commit_callbacks(execute=True):
                result = job()
            run_queued_sends()
            return result

        def _post(self, url, body, **headers):
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(url, body, content_type="application/json", **headers)
            run_queued_sends()
            return response

    return Webhook()


def run_queued_sends() -> None:
    """The worker's part: every queued send (a sent message is never sent again, so running all is safe)."""
    for result in DBTaskResult.objects.filter(task_path="perisai.channels.tasks.send_outbound"):
        send_outbound.call(*result.args_kwargs["args"])


def replies() -> list[str]:
    return [sent.body for sent in ConsoleSender.outbox]
