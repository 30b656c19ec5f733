"""Messages out: sent once by id, the number and words erased once sent, a failing provider retried hourly, and
the reporter's number erased with the report's other personal data."""

from __future__ import annotations

import datetime as dt

import pytest

from perisai.channels import services
from perisai.channels.models import Outbound, ReporterLink
from perisai.channels.senders import ConsoleSender
from perisai.channels.tests.conftest import RECORDED_AT, replies, run_queued_sends
from perisai.channels.tests.test_conversation import WHATSAPP, tell
from perisai.reports.models import Report
from perisai.reports.services import report_anonymise

pytestmark = pytest.mark.django_db


class BrokenSender:
    def send(self, *, channel: str, to: str, body: str, template: str = "") -> str:
        raise ConnectionError(f"provider down while sending to {to}: {body}")


class OutboundTests:
    def test_a_sent_message_keeps_neither_number_nor_words_and_is_never_sent_twice(self, webhook):
        tell(webhook, WHATSAPP[:1])
        outbound = Outbound.objects.get()
        assert (outbound.to, outbound.body, outbound.sent_at) == ("", "", RECORDED_AT)
        run_queued_sends()
        assert len(replies()) == 1

    def test_a_failing_provider_is_retried_by_the_hourly_job_then_given_up(
        self, webhook, settings, caplog, django_capture_on_commit_callbacks
    ):
        settings.PERISAI_CHANNELS_SENDER = "perisai.channels.tests.test_outbound.BrokenSender"
        tell(webhook, WHATSAPP[:1])
        outbound = Outbound.objects.get()
        assert (outbound.sent_at, outbound.attempts) == (None, 1)
        assert "81234567890" not in caplog.text and "ConnectionError" in caplog.text
        settings.PERISAI_CHANNELS_SENDER = "perisai.channels.senders.ConsoleSender"
        with django_capture_on_commit_callbacks(execute=True):
            services.conversations_expire(now=RECORDED_AT + dt.timedelta(minutes=10))
        run_queued_sends()
        assert "Apakah ada anak dalam bahaya sekarang?" in replies()[0]
        outbound.refresh_from_db()
        assert outbound.sent_at is not None
        services.conversations_expire(now=RECORDED_AT + dt.timedelta(hours=25))
        assert Outbound.objects.count() == 0

    def test_retention_erases_the_number_a_report_came_from(self, webhook):
        tell(webhook, WHATSAPP)
        report = Report.objects.get()
        report_anonymise(report=report)
        assert ReporterLink.objects.count() == 0

    def test_the_console_sender_prints_only_in_development(self, settings, capsys):
        settings.DEBUG = False
        ConsoleSender().send(channel="sms", to="+6281500000000", body="Halo")
        assert capsys.readouterr().out == ""
        settings.DEBUG = True
        ConsoleSender().send(channel="sms", to="+6281500000000", body="Halo")
        assert "Halo" in capsys.readouterr().out
        assert len(ConsoleSender.outbox) == 2
