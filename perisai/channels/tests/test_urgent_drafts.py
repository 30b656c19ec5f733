"""A reporter who says a child is in danger now and then stops answering: the office hears of it within minutes,
with what was said so far, and can write back on the same channel (issue 17's open point: an abandoned urgent
draft alerted nobody and was erased a day later)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from perisai.accounts.choices import Role
from perisai.audit.choices import AuditAction
from perisai.audit.models import AuditEvent
from perisai.channels import services
from perisai.channels.models import Conversation, ReporterLink
from perisai.channels.senders import ConsoleSender
from perisai.channels.tests.conftest import RECORDED_AT, replies, run_queued_sends, whatsapp_text
from perisai.channels.tests.test_conversation import WHATSAPP, tell
from perisai.core import ratelimit
from perisai.core.choices import NotificationKind
from perisai.core.models import Notification
from perisai.reports.choices import Channel, Harm, MessageSender
from perisai.reports.models import Report, ReportMessage

pytestmark = pytest.mark.django_db

# The third recorded answer ("3": touched) came 90 s after the first message; the kecamatan question then waits.
LAST_ANSWER = RECORDED_AT + dt.timedelta(seconds=90)
FORWARDED = re.compile(r"Kode: (LPR-\S+)\nPIN: (\d{6})")


def forward(webhook, after: dt.timedelta) -> int:
    """The scheduler's minute job, `after` the last answer, with the worker sending what it queued."""
    webhook.clock.move_to(LAST_ANSWER + after)
    return webhook.run(services.conversations_forward_urgent)


@pytest.fixture
def stopped(webhook):
    """Said "1" (a child in danger now) and what happened, then nothing more."""
    tell(webhook, WHATSAPP[:3])
    assert Conversation.objects.get().step == "kecamatan"
    return webhook


class ForwardTests:
    def test_nothing_goes_while_the_reporter_may_still_be_typing(self, stopped):
        assert forward(stopped, dt.timedelta(minutes=9, seconds=59)) == 0
        assert Report.objects.count() == 0 and Conversation.objects.count() == 1

    def test_after_ten_quiet_minutes_the_office_gets_an_unfinished_urgent_report(self, stopped, make_user):
        officer, supervisor = make_user(Role.INTAKE_OFFICER), make_user(Role.SUPERVISOR)
        assert forward(stopped, dt.timedelta(minutes=10, seconds=1)) == 1
        report = Report.objects.get()
        assert (report.channel, report.urgent, report.unfinished, report.harms) == (
            Channel.WHATSAPP,
            True,
            True,
            [Harm.TOUCHED],
        )
        assert (report.kecamatan, report.kelurahan, report.child_age) == (None, None, None)
        # The contact question was never answered: staff do not see the number, which is kept for their replies.
        assert (report.reporter_anonymous, report.reporter_phone) == (True, "")
        assert ReporterLink.objects.get(report=report).address == "+6281234567890"
        marker = Conversation.objects.get()  # the answers are gone; only which report they became is kept
        assert (marker.step, json.loads(marker.answers)) == ("forwarded", {"report": str(report.public_id)})
        for user in (officer, supervisor):
            alert = Notification.objects.get(user=user, kind=NotificationKind.URGENT_REPORT)
            assert report.tracking_code in alert.message
        received = AuditEvent.objects.get(action=AuditAction.REPORT_RECEIVED)
        assert received.extra["unfinished"] is True and received.extra["urgent"] is True

    def test_the_reporter_is_told_with_the_code_and_pin(self, stopped):
        forward(stopped, dt.timedelta(minutes=11))
        told = replies()[-1]
        code, pin = FORWARDED.search(told).groups()
        assert code == Report.objects.get().tracking_code
        assert "teruskan ke petugas" in told and "jangan berikan kepada orang lain" in told
        # Neutral: it arrives unasked on a phone the person reported on may hold now.
        assert not any(word in told.casefold() for word in ("bahaya", "darurat", "kekerasan"))
        stopped.whatsapp(whatsapp_text(f"STATUS {code} {pin}", message_id="wamid.s1", at=LAST_ANSWER))
        assert f"Laporan {code}:" in replies()[-1]

    def test_an_answer_starts_the_ten_minutes_again(self, stopped):
        stopped.clock.move_to(LAST_ANSWER + dt.timedelta(minutes=8))
        stopped.whatsapp(whatsapp_text("jombang", message_id="wamid.k", at=LAST_ANSWER + dt.timedelta(minutes=8)))
        assert forward(stopped, dt.timedelta(minutes=12)) == 0
        assert forward(stopped, dt.timedelta(minutes=18, seconds=1)) == 1
        assert Report.objects.get().kecamatan.name == "Jombang"  # what was said by then goes with it

    def test_a_photo_or_voice_note_is_the_reporter_still_there(self, stopped):
        at = LAST_ANSWER + dt.timedelta(minutes=8)
        stopped.clock.move_to(at)
        stopped.whatsapp(whatsapp_text("x", message_id="wamid.k", at=at).replace(b'"text"', b'"unused"')
                         .replace(b'"type": "text"', b'"type": "image"'))  # fmt: skip
        assert "bukan foto atau suara" in replies()[-1]
        assert forward(stopped, dt.timedelta(minutes=12)) == 0

    def test_stopped_right_after_saying_a_child_is_in_danger(self, webhook):
        tell(webhook, WHATSAPP[:2])
        webhook.clock.move_to(RECORDED_AT + dt.timedelta(minutes=11))
        assert webhook.run(services.conversations_forward_urgent) == 1
        report = Report.objects.get()
        assert (report.urgent, report.unfinished, report.harms, report.kecamatan) == (True, True, [], None)

    def test_the_report_counts_from_when_the_conversation_began(self, stopped):
        forward(stopped, dt.timedelta(minutes=11))
        report = Report.objects.get()
        assert report.received_at == RECORDED_AT
        assert ReporterLink.objects.get(report=report).last_inbound_at == LAST_ANSWER  # WhatsApp's window

    def test_a_draft_touched_since_the_list_was_read_is_left_alone(self, stopped):
        draft = Conversation.objects.get()
        stopped.clock.move_to(LAST_ANSWER + dt.timedelta(minutes=11))
        draft.updated_at = LAST_ANSWER + dt.timedelta(minutes=10, seconds=30)  # an answer came in meanwhile
        draft.save(update_fields=["updated_at"])
        assert services._forward(draft.pk, idle=LAST_ANSWER + dt.timedelta(minutes=1)) is False
        assert Report.objects.count() == 0

    def test_a_run_made_up_a_day_late_sends_no_words_whatsapp_would_refuse(self, stopped):
        sent = len(ConsoleSender.outbox)
        assert forward(stopped, dt.timedelta(hours=23, minutes=50)) == 1
        assert Report.objects.get().unfinished and len(ConsoleSender.outbox) == sent

    def test_a_draft_that_said_no_one_is_in_danger_now_waits_for_its_reporter(self, webhook):
        tell(webhook, WHATSAPP[:1])
        webhook.whatsapp(whatsapp_text("2", message_id="wamid.n", at=RECORDED_AT + dt.timedelta(seconds=40)))
        assert forward(webhook, dt.timedelta(hours=5)) == 0
        assert Report.objects.count() == 0 and Conversation.objects.get().step == "harms"

    def test_forwarded_once_however_often_the_job_runs(self, stopped):
        assert forward(stopped, dt.timedelta(minutes=11)) == 1
        assert forward(stopped, dt.timedelta(minutes=12)) == 0
        assert Report.objects.count() == 1

    def test_a_number_that_floods_is_refused_as_the_form_would(self, stopped, settings):
        settings.PERISAI_REPORTS_HARD_LIMIT = 0
        sent = len(ConsoleSender.outbox)
        for minute in range(11, 20):
            assert forward(stopped, dt.timedelta(minutes=minute)) == 0
        assert Report.objects.count() == 0 and Conversation.objects.count() == 1
        assert len(ConsoleSender.outbox) == sent  # no flood of answers back either
        # The minute job's tries are not counted as reports: the reporter's own last answer is judged alone.
        sender = Conversation.objects.get().sender_index
        assert ratelimit.count("reports.sender", sender, window=dt.timedelta(hours=1)) == 0

    def test_a_day_without_the_scheduler_forwards_rather_than_erases(self, stopped):
        stopped.clock.move_to(LAST_ANSWER + dt.timedelta(days=2))
        assert stopped.run(services.conversations_expire) == 0
        assert Report.objects.get().unfinished is True


class AfterForwardTests:
    def test_what_the_reporter_writes_next_goes_to_that_report(self, stopped):
        forward(stopped, dt.timedelta(minutes=11))
        report = Report.objects.get()
        at = LAST_ANSWER + dt.timedelta(minutes=12)
        stopped.clock.move_to(at)
        stopped.whatsapp(whatsapp_text("jombang", message_id="wamid.late", at=at))
        assert replies()[-1].startswith(f"Pesan Anda sudah kami tambahkan ke laporan {report.tracking_code}.")
        assert [m.body for m in ReportMessage.objects.filter(report=report, sender=MessageSender.REPORTER)] == [
            "jombang"
        ]
        assert Report.objects.count() == 1  # not a second report, nor a second alert

    def test_batal_ends_it_and_the_next_message_starts_a_new_report(self, stopped):
        forward(stopped, dt.timedelta(minutes=11))
        code = Report.objects.get().tracking_code
        at = LAST_ANSWER + dt.timedelta(minutes=12)
        stopped.clock.move_to(at)
        stopped.whatsapp(whatsapp_text("BATAL", message_id="wamid.batal", at=at))
        assert code in replies()[-1] and "laporan baru" in replies()[-1]
        stopped.whatsapp(whatsapp_text("halo", message_id="wamid.new", at=at))
        assert "Apakah ada anak dalam bahaya sekarang?" in replies()[-1]
        assert Report.objects.count() == 1

    def test_the_marker_expires_like_a_draft(self, stopped):
        forward(stopped, dt.timedelta(minutes=11))
        assert services.conversations_expire(now=LAST_ANSWER + dt.timedelta(minutes=11, hours=24, seconds=1)) == 1
        assert Conversation.objects.count() == 0 and Report.objects.count() == 1


def test_staff_see_that_the_report_is_unfinished_and_their_reply_reaches_whatsapp(
    stopped, client, make_user, django_capture_on_commit_callbacks
):
    forward(stopped, dt.timedelta(minutes=11))
    report = Report.objects.get()
    client.force_login(make_user(Role.INTAKE_OFFICER))
    page = client.get(f"/staf/laporan/{report.public_id}/").content.decode()
    assert "Pelapor berhenti menjawab" in page and "81234567890" not in page
    ConsoleSender.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/staf/laporan/{report.public_id}/pesan/", {"body": "Di kelurahan mana anak itu sekarang?"})
    run_queued_sends()
    [delivered] = ConsoleSender.outbox
    assert delivered.to == "+6281234567890" and "Di kelurahan mana" in delivered.body
