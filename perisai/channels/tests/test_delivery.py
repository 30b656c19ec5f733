"""An officer's message reaches a WhatsApp reporter only within Meta's 24-hour window (free text after it is
refused). Outside it an approved template tells the reporter that the office wrote, or staff see that the message
did not go; a message the provider fails later (its "failed" status) or never manages is marked too. Staff see all
of it in the report's thread; the reporter can always read the words with code + PIN."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from perisai.accounts.choices import Role
from perisai.audit.choices import AuditAction
from perisai.audit.models import AuditEvent
from perisai.channels import services
from perisai.channels.models import Outbound
from perisai.channels.senders import ConsoleSender
from perisai.channels.tests.conftest import RECORDED_AT, recorded, run_queued_sends, whatsapp_text
from perisai.channels.tests.test_conversation import WHATSAPP, receipt, tell
from perisai.reports.choices import Undelivered
from perisai.reports.models import Report, ReportMessage
from perisai.reports.services import report_anonymise

pytestmark = pytest.mark.django_db

QUESTION = "Apakah anak masih di rumah sekarang?"
LATER_THAT_DAY = RECORDED_AT + dt.timedelta(hours=9)
TWO_DAYS_LATER = RECORDED_AT + dt.timedelta(days=2)
UNDELIVERED_NOTE = "Belum sampai ke ponsel pelapor."


@pytest.fixture
def reported(webhook, client, make_user, django_capture_on_commit_callbacks):
    """A WhatsApp report, and an officer who writes to the reporter from the report's page at a given moment."""
    tell(webhook, WHATSAPP)
    code, pin = receipt()
    report = Report.objects.get(tracking_code=code)
    officer = make_user(Role.INTAKE_OFFICER)

    class Reported:
        def write(self, at: dt.datetime, body: str = QUESTION) -> ReportMessage:
            webhook.clock.move_to(at)
            client.force_login(officer)  # a staff session does not last days
            ConsoleSender.outbox.clear()
            with django_capture_on_commit_callbacks(execute=True):
                assert client.post(f"/staf/laporan/{report.public_id}/pesan/", {"body": body}).status_code == 302
            run_queued_sends()
            return ReportMessage.objects.filter(report=report).latest("sent_at")

        def page(self) -> str:
            return client.get(f"/staf/laporan/{report.public_id}/").content.decode()

    reported = Reported()
    reported.report, reported.code, reported.pin = report, code, pin
    return reported


def failed_status(provider_id: str, code: int) -> bytes:
    payload = json.loads(recorded("whatsapp/status_delivered.json"))
    status = payload["entry"][0]["changes"][0]["value"]["statuses"][0]
    status.update(id=provider_id, status="failed", errors=[{"code": code, "title": "Re-engagement message"}])
    return json.dumps(payload).encode()


def retried_hourly(after: dt.datetime, capture) -> None:
    """The hourly job's two retries of a message whose first send failed: SEND_ATTEMPTS in all."""
    for minutes in (10, 70):
        with capture(execute=True):
            services.conversations_expire(now=after + dt.timedelta(minutes=minutes))
        run_queued_sends()


class WindowTests:
    def test_within_a_day_of_the_reporters_last_message_the_words_go_as_text(self, reported):
        message = reported.write(LATER_THAT_DAY)
        [sent] = ConsoleSender.outbox
        assert QUESTION in sent.body and not sent.template
        assert message.undelivered == ""
        outbound = Outbound.objects.get(message_id=message.pk)
        assert outbound.report_id == reported.report.pk and outbound.provider_id.startswith("console.")
        assert UNDELIVERED_NOTE not in reported.page()

    def test_after_the_window_without_a_template_staff_are_told_it_did_not_go(self, reported):
        message = reported.write(TWO_DAYS_LATER)
        assert ConsoleSender.outbox == []
        message.refresh_from_db()
        assert message.undelivered == Undelivered.WINDOW
        assert not Outbound.objects.filter(message_id=message.pk).exists()
        page = reported.page()
        assert UNDELIVERED_NOTE in page and "WhatsApp hanya mengizinkan balasan dalam 24 jam" in page
        event = AuditEvent.objects.get(action=AuditAction.REPORT_MESSAGE_UNDELIVERED)
        assert event.extra == {"reason": "window"} and event.actor is None

    def test_after_the_window_an_approved_template_says_only_that_the_office_wrote(self, reported, settings):
        settings.PERISAI_WHATSAPP_NOTICE_TEMPLATE = "perisai_pesan_baru"
        message = reported.write(TWO_DAYS_LATER)
        [sent] = ConsoleSender.outbox
        assert (sent.template, sent.body, sent.to) == ("perisai_pesan_baru", "", "+6281234567890")
        message.refresh_from_db()
        assert message.undelivered == Undelivered.NOTICE
        assert "WhatsApp hanya memberi tahu pelapor bahwa ada pesan baru" in reported.page()

    def test_a_new_message_from_the_reporter_opens_the_window_again(self, reported, webhook):
        status = f"STATUS {reported.code} {reported.pin}"
        webhook.clock.move_to(TWO_DAYS_LATER)
        webhook.whatsapp(whatsapp_text(status, message_id="wamid.later", at=TWO_DAYS_LATER))
        message = reported.write(TWO_DAYS_LATER + dt.timedelta(hours=1))
        [sent] = ConsoleSender.outbox
        assert QUESTION in sent.body
        assert message.undelivered == ""

    def test_a_late_redelivery_opens_the_window_only_from_when_it_was_written(self, reported, webhook):
        # After an outage Meta re-delivers a message written 23 h 50 min ago (still inside the replay window): it is
        # handled, but WhatsApp's window closes ten minutes later, not 24 hours from its arrival.
        written = TWO_DAYS_LATER - dt.timedelta(hours=23, minutes=50)
        webhook.clock.move_to(TWO_DAYS_LATER)
        webhook.whatsapp(whatsapp_text("halo lagi", message_id="wamid.late", at=written))
        assert "Apakah ada anak dalam bahaya sekarang?" in ConsoleSender.outbox[-1].body  # it was handled
        message = reported.write(TWO_DAYS_LATER + dt.timedelta(minutes=1))
        assert message.undelivered == Undelivered.WINDOW

    def test_a_timestamp_from_the_future_counts_as_now(self, reported, webhook):
        webhook.clock.move_to(TWO_DAYS_LATER)
        ahead = TWO_DAYS_LATER + dt.timedelta(hours=20)  # a clock ahead, within the replay window
        webhook.whatsapp(whatsapp_text("halo", message_id="wamid.ahead", at=ahead))
        assert reported.write(TWO_DAYS_LATER + dt.timedelta(hours=4)).undelivered == ""
        # Taken at its word, the window would stay open until 20 hours later than this.
        assert reported.write(TWO_DAYS_LATER + dt.timedelta(hours=24)).undelivered == Undelivered.WINDOW


class FailureTests:
    def test_a_failed_status_from_meta_marks_the_message(self, reported, webhook):
        message = reported.write(LATER_THAT_DAY)
        provider_id = Outbound.objects.get(message_id=message.pk).provider_id
        assert webhook.whatsapp(failed_status(provider_id, 131047)).status_code == 200
        message.refresh_from_db()
        assert message.undelivered == Undelivered.WINDOW
        other = reported.write(LATER_THAT_DAY + dt.timedelta(minutes=5), body="Kami akan datang jam 10.")
        webhook.whatsapp(failed_status(Outbound.objects.get(message_id=other.pk).provider_id, 131026))
        other.refresh_from_db()
        assert other.undelivered == Undelivered.FAILED

    def test_statuses_of_messages_that_are_not_ours_change_nothing(self, reported, webhook):
        reported.write(LATER_THAT_DAY)
        assert webhook.whatsapp(failed_status("wamid.someone-else", 131047)).status_code == 200
        assert webhook.whatsapp(recorded("whatsapp/status_delivered.json")).status_code == 200
        assert not ReportMessage.objects.exclude(undelivered="").exists()

    def test_a_provider_that_keeps_failing_is_marked_after_the_last_attempt(
        self, reported, settings, django_capture_on_commit_callbacks
    ):
        settings.PERISAI_CHANNELS_SENDER = "perisai.channels.tests.test_outbound.BrokenSender"
        message = reported.write(LATER_THAT_DAY)
        retried_hourly(LATER_THAT_DAY, django_capture_on_commit_callbacks)
        message.refresh_from_db()
        assert message.undelivered == Undelivered.FAILED
        assert Outbound.objects.get(message_id=message.pk).attempts == services.SEND_ATTEMPTS

    def test_a_message_the_worker_never_sent_is_marked_when_it_is_given_up(self, reported, client):
        message = reported.write(LATER_THAT_DAY)
        Outbound.objects.filter(message_id=message.pk).update(sent_at=None, attempts=0, provider_id="")
        services.conversations_expire(now=LATER_THAT_DAY + dt.timedelta(hours=25))
        message.refresh_from_db()
        assert message.undelivered == Undelivered.FAILED
        assert not Outbound.objects.exists()

    def test_a_notice_that_fails_shows_as_failed_not_as_told(
        self, reported, settings, django_capture_on_commit_callbacks
    ):
        settings.PERISAI_WHATSAPP_NOTICE_TEMPLATE = "perisai_pesan_baru"
        settings.PERISAI_CHANNELS_SENDER = "perisai.channels.tests.test_outbound.BrokenSender"
        message = reported.write(TWO_DAYS_LATER)
        assert message.undelivered == Undelivered.NOTICE
        retried_hourly(TWO_DAYS_LATER, django_capture_on_commit_callbacks)
        message.refresh_from_db()
        assert message.undelivered == Undelivered.FAILED
        assert "penyedia layanan menolak atau gagal mengirim" in reported.page()

    def test_a_retry_after_the_window_closed_sends_the_notice_not_the_words(
        self, reported, settings, django_capture_on_commit_callbacks
    ):
        settings.PERISAI_CHANNELS_SENDER = "perisai.channels.tests.test_outbound.BrokenSender"
        message = reported.write(RECORDED_AT + dt.timedelta(hours=23))  # inside the window; the provider is down
        settings.PERISAI_CHANNELS_SENDER = "perisai.channels.senders.ConsoleSender"
        settings.PERISAI_WHATSAPP_NOTICE_TEMPLATE = "perisai_pesan_baru"
        reported_later = RECORDED_AT + dt.timedelta(hours=24, minutes=30)  # the hourly retry, after the window
        with django_capture_on_commit_callbacks(execute=True):
            services.conversations_expire(now=reported_later)
        with time_machine.travel(reported_later, tick=False):
            run_queued_sends()
        [sent] = ConsoleSender.outbox
        assert (sent.template, sent.body) == ("perisai_pesan_baru", "")
        message.refresh_from_db()
        assert message.undelivered == Undelivered.NOTICE

    def test_anonymising_the_report_erases_what_still_waits_for_it(self, reported, settings):
        settings.PERISAI_CHANNELS_SENDER = "perisai.channels.tests.test_outbound.BrokenSender"
        reported.write(LATER_THAT_DAY)
        assert Outbound.objects.filter(report_id=reported.report.pk).exists()
        report_anonymise(report=reported.report)
        assert not Outbound.objects.filter(report_id=reported.report.pk).exists()
