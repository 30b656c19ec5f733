"""The doors: only signed, recent, new deliveries get in; garbage is refused without a trace of its content."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from perisai.audit.choices import AuditAction
from perisai.audit.models import AuditEvent
from perisai.channels.models import Conversation, SeenMessage
from perisai.channels.senders import ConsoleSender
from perisai.channels.tests.conftest import (
    RECORDED_AT,
    VERIFY_TOKEN,
    WHATSAPP_URL,
    meta_signature,
    recorded,
    replies,
    sms_signature,
)

pytestmark = pytest.mark.django_db


def rejections(reason: str) -> int:
    return AuditEvent.objects.filter(action=AuditAction.SECURITY_WEBHOOK_REJECTED, extra__reason=reason).count()


class WhatsAppVerificationTests:
    def test_the_handshake_echoes_the_challenge_for_our_token_only(self, client):
        query = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"}
        answer = client.get(WHATSAPP_URL, query)
        assert (answer.status_code, answer.content) == (200, b"1158201444")
        assert client.get(WHATSAPP_URL, {**query, "hub.verify_token": "guess"}).status_code == 403
        assert client.get(WHATSAPP_URL, {**query, "hub.challenge": "<script>"}).status_code == 403
        assert rejections("verify_token") == 2

    def test_no_verify_token_configured_refuses_every_handshake(self, client, settings):
        settings.PERISAI_WHATSAPP_VERIFY_TOKEN = ""
        query = {"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"}
        assert client.get(WHATSAPP_URL, query).status_code == 403


class WhatsAppSignatureTests:
    def test_a_recorded_message_signed_with_the_app_secret_is_answered(self, webhook):
        assert webhook.whatsapp(recorded("whatsapp/01_halo.json")).status_code == 200
        assert Conversation.objects.count() == 1
        assert "Apakah ada anak dalam bahaya sekarang?" in replies()[0]

    @pytest.mark.parametrize(
        "signature",
        [
            "",
            "sha256=",
            "sha256=é",  # not ASCII: refused like any other, never a 500
            "sha1=abc",
            meta_signature(b"another body"),
            meta_signature(b"{}", "wrong"),
        ],
    )
    def test_a_wrong_or_missing_signature_is_refused_and_nothing_is_kept(self, webhook, signature):
        assert webhook.whatsapp(recorded("whatsapp/01_halo.json"), signature=signature).status_code == 403
        assert (Conversation.objects.count(), SeenMessage.objects.count(), replies()) == (0, 0, [])
        assert rejections("signature") == 1

    def test_no_app_secret_configured_accepts_nothing(self, webhook, settings):
        body = recorded("whatsapp/01_halo.json")
        settings.PERISAI_WHATSAPP_APP_SECRET = ""
        assert webhook.whatsapp(body, signature=meta_signature(body, "")).status_code == 403

    def test_a_replay_after_the_window_is_refused_though_its_signature_is_valid(self, webhook):
        webhook.clock.move_to(RECORDED_AT + dt.timedelta(hours=24, minutes=1))  # WhatsApp's window is a day
        assert webhook.whatsapp(recorded("whatsapp/01_halo.json")).status_code == 200  # Meta must not retry it
        assert (Conversation.objects.count(), replies()) == (0, [])
        assert rejections("stale") == 1

    def test_the_same_delivery_twice_is_answered_once(self, webhook):
        webhook.whatsapp(recorded("whatsapp/01_halo.json"))
        webhook.whatsapp(recorded("whatsapp/01_halo.json"))
        assert len(replies()) == 1

    def test_a_delivery_receipt_is_acknowledged_and_ignored(self, webhook):
        assert webhook.whatsapp(recorded("whatsapp/status_delivered.json")).status_code == 200
        assert (Conversation.objects.count(), replies()) == (0, [])


class GarbageTests:
    @pytest.mark.parametrize("name", ["whatsapp/garbage_not_json.txt", "whatsapp/garbage_wrong_shape.json"])
    def test_signed_garbage_is_a_bad_request(self, webhook, name):
        assert webhook.whatsapp(recorded(name)).status_code == 400
        assert replies() == []

    def test_odd_messages_in_a_valid_envelope_are_skipped(self, webhook):
        assert webhook.whatsapp(recorded("whatsapp/garbage_odd_messages.json")).status_code == 200
        assert (Conversation.objects.count(), replies()) == (0, [])

    def test_a_photo_starts_the_conversation_and_later_asks_for_words(self, webhook):
        webhook.whatsapp(recorded("whatsapp/01_halo.json"))
        webhook.whatsapp(recorded("whatsapp/image.json"))
        assert "Mohon balas dengan tulisan" in replies()[-1]
        assert "Apakah ada anak dalam bahaya sekarang?" in replies()[-1]

    def test_nothing_of_the_message_or_number_reaches_the_logs_or_the_audit_trail(self, webhook, caplog):
        for name in ("01_halo", "02_urgent", "03_harms"):
            webhook.whatsapp(recorded(f"whatsapp/{name}.json"))
        webhook.whatsapp(recorded("whatsapp/01_halo.json"), signature="sha256=00")
        trail = json.dumps(list(AuditEvent.objects.values("extra", "object_id")))
        for secret in ("81234567890", "saya mau lapor"):
            assert secret not in caplog.text
            assert secret not in trail


class SmsTests:
    def test_a_signed_recent_sms_is_answered_on_the_number_it_came_from(self, webhook):
        assert webhook.sms(recorded("sms/01_halo.json")).status_code == 200
        assert [sent.to for sent in ConsoleSender.outbox] == ["+6281577771234"]  # 0815 7777 1234, as E.164
        assert "Apakah ada anak dalam bahaya sekarang?" in replies()[0]

    def test_the_signature_covers_the_timestamp(self, webhook):
        body, now = recorded("sms/01_halo.json"), int(RECORDED_AT.timestamp())
        signed_earlier = sms_signature(body, str(now - 10))
        assert webhook.sms(body, timestamp=str(now), signature=signed_earlier).status_code == 403
        assert rejections("signature") == 1

    def test_an_old_timestamp_is_refused_even_when_signed(self, webhook):
        old = str(int(RECORDED_AT.timestamp()) - 301)
        assert webhook.sms(recorded("sms/01_halo.json"), timestamp=old).status_code == 403
        assert (rejections("stale"), replies()) == (1, [])

    def test_a_wrong_signature_is_refused(self, webhook):
        assert webhook.sms(recorded("sms/01_halo.json"), signature="sha256=" + "0" * 64).status_code == 403
        assert rejections("signature") == 1

    def test_garbage_and_a_missing_number_are_bad_requests(self, webhook):
        assert webhook.sms(b"not json").status_code == 400
        assert webhook.sms(json.dumps({"id": "1", "from": "", "text": "x"}).encode()).status_code == 400
        assert webhook.sms(json.dumps({"id": "2", "from": "12", "text": "x"}).encode()).status_code == 400
        assert webhook.sms(json.dumps(["a list"]).encode()).status_code == 400
        assert replies() == []

    def test_a_duplicate_id_is_answered_once(self, webhook):
        webhook.sms(recorded("sms/01_halo.json"))
        webhook.sms(recorded("sms/01_halo.json"))
        assert len(replies()) == 1


class LateDeliveryTests:
    def test_a_message_meta_retries_after_a_long_outage_is_still_handled(self, webhook):
        webhook.clock.move_to(RECORDED_AT + dt.timedelta(hours=3))  # the server was down; Meta kept retrying
        assert webhook.whatsapp(recorded("whatsapp/01_halo.json")).status_code == 200
        assert "Apakah ada anak dalam bahaya sekarang?" in replies()[0]
        assert rejections("stale") == 0

    def test_a_replay_window_longer_than_the_memory_of_ids_stops_the_start(self, settings):
        from perisai.channels.checks import replay_windows_within_memory

        assert replay_windows_within_memory() == []
        settings.PERISAI_WHATSAPP_REPLAY_SECONDS = 3 * 24 * 3600
        assert [error.id for error in replay_windows_within_memory()] == ["perisai.channels.E001"]
