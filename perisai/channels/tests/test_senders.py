"""The production sender, against a recorded stand-in for the provider's HTTPS endpoint (no network)."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
import time_machine

from perisai.channels import senders
from perisai.channels.checks import channel_without_sender, one_sms_secret_both_ways
from perisai.channels.tests.conftest import RECORDED_AT, SMS_SECRET


class FakeProvider:
    """Stands in for http.client.HTTPSConnection and remembers every request."""

    requests: list[dict] = []
    status = 200
    answer = b'{"error": {"message": "echoes +6281234567890"}}'

    def __init__(self, host, timeout):
        self.host, self.timeout = host, timeout

    def request(self, method, path, body, headers):
        self.requests.append({"host": self.host, "method": method, "path": path, "body": body, "headers": headers})

    def getresponse(self):
        provider = self

        class Response:
            status = provider.status

            def read(self):
                return provider.answer

        return Response()

    def close(self):
        pass


@pytest.fixture
def provider(monkeypatch, settings):
    settings.PERISAI_WHATSAPP_ACCESS_TOKEN = "EAAtoken"
    settings.PERISAI_WHATSAPP_PHONE_NUMBER_ID = "106540352242922"
    settings.PERISAI_WHATSAPP_API_VERSION = "v21.0"
    settings.PERISAI_SMS_SEND_URL = "https://sms.example.go.id/kirim?akun=perisai"
    FakeProvider.requests, FakeProvider.status = [], 200
    FakeProvider.answer = b'{"error": {"message": "echoes +6281234567890"}}'
    monkeypatch.setattr(senders.http.client, "HTTPSConnection", FakeProvider)
    return FakeProvider


def test_whatsapp_goes_to_the_cloud_api_as_a_text_message(provider):
    senders.HttpSender().send(channel="whatsapp", to="+6281234567890", body="Kode: LPR-AAAA-BBBB")
    [sent] = provider.requests
    assert (sent["host"], sent["method"], sent["path"]) == (
        "graph.facebook.com",
        "POST",
        "/v21.0/106540352242922/messages",
    )
    assert sent["headers"]["Authorization"] == "Bearer EAAtoken"
    assert json.loads(sent["body"]) == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "6281234567890",
        "type": "text",
        "text": {"preview_url": False, "body": "Kode: LPR-AAAA-BBBB"},
    }


def test_sms_goes_to_the_gateway_signed_like_its_deliveries(provider):
    with time_machine.travel(RECORDED_AT, tick=False):
        senders.HttpSender().send(channel="sms", to="+6281577771234", body="Halo")
    [sent] = provider.requests
    assert (sent["host"], sent["path"]) == ("sms.example.go.id", "/kirim?akun=perisai")
    timestamp = sent["headers"]["X-Perisai-Timestamp"]
    assert timestamp == str(int(RECORDED_AT.timestamp()))
    expected = hmac.new(SMS_SECRET.encode(), timestamp.encode() + b"." + sent["body"], hashlib.sha256).hexdigest()
    assert sent["headers"]["X-Perisai-Signature"] == f"sha256={expected}"
    assert json.loads(sent["body"]) == {"to": "+6281577771234", "text": "Halo"}


def test_a_send_secret_of_its_own_signs_the_sends_and_the_deploy_check_asks_for_one(provider, settings):
    settings.PERISAI_CHANNELS_SENDER = "perisai.channels.senders.HttpSender"
    assert [warning.id for warning in one_sms_secret_both_ways(None)] == ["perisai.channels.W002"]
    settings.PERISAI_SMS_SEND_SECRET = "another-secret-for-sending"
    assert one_sms_secret_both_ways(None) == []
    with time_machine.travel(RECORDED_AT, tick=False):
        senders.HttpSender().send(channel="sms", to="+6281577771234", body="Halo")
    [sent] = provider.requests
    signed = sent["headers"]["X-Perisai-Timestamp"].encode() + b"." + sent["body"]
    expected = hmac.new(b"another-secret-for-sending", signed, hashlib.sha256).hexdigest()
    assert sent["headers"]["X-Perisai-Signature"] == f"sha256={expected}"


def test_a_refusal_raises_with_the_status_only(provider):
    provider.status = 400
    with pytest.raises(senders.SendFailed) as refused:
        senders.HttpSender().send(channel="whatsapp", to="+6281234567890", body="x")
    assert str(refused.value) == "HTTP 400"


def test_an_sms_gateway_without_https_is_refused(provider, settings):
    settings.PERISAI_SMS_SEND_URL = "http://sms.example.go.id/kirim"
    with pytest.raises(senders.SendFailed):
        senders.HttpSender().send(channel="sms", to="+6281577771234", body="x")
    assert provider.requests == []


def test_the_deploy_check_warns_when_a_channel_is_on_but_only_the_console_sends(settings):
    settings.PERISAI_SMS_SECRET = "set"
    assert [warning.id for warning in channel_without_sender(None)] == ["perisai.channels.W001"]
    settings.PERISAI_CHANNELS_SENDER = "perisai.channels.senders.HttpSender"
    assert channel_without_sender(None) == []


def test_the_cloud_apis_message_id_is_kept_for_its_delivery_statuses(provider):
    provider.answer = json.dumps({"messages": [{"id": "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEjQ2"}]}).encode()
    sent = senders.HttpSender().send(channel="whatsapp", to="+6281234567890", body="Halo")
    assert sent == "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEjQ2"
    for odd in (b"", b"[]", b'{"messages": []}', b'{"messages": [{"no": "id"}]}', b"<html>"):
        provider.answer = odd
        assert senders.HttpSender().send(channel="whatsapp", to="+6281234567890", body="Halo") == ""


def test_outside_the_window_a_template_goes_without_the_officers_words(provider, settings):
    settings.PERISAI_WHATSAPP_NOTICE_LANGUAGE = "id"
    senders.HttpSender().send(channel="whatsapp", to="+6281234567890", body="", template="perisai_pesan_baru")
    payload = json.loads(provider.requests[0]["body"])
    assert payload == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "6281234567890",
        "type": "template",
        "template": {"name": "perisai_pesan_baru", "language": {"code": "id"}},
    }
