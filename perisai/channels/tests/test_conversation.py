"""A report told one answer at a time, replayed from recorded deliveries."""

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
from perisai.channels.tests.conftest import RECORDED_AT, recorded, replies, whatsapp_text
from perisai.core.choices import NotificationKind
from perisai.core.models import Notification
from perisai.reports.choices import Channel, Harm
from perisai.reports.models import Report

pytestmark = pytest.mark.django_db

WHATSAPP = ["01_halo", "02_urgent", "03_harms", "04_kecamatan", "05_kelurahan", "06_age", "07_contact"]
SMS = ["01_halo", "02_urgent", "03_harms", "04_kecamatan", "05_kecamatan_again", "06_kelurahan", "07_age", "08_contact"]
RECEIPT = re.compile(r"Kode: (LPR-\S+)\nPIN: (\d{6})")


def tell(webhook, names: list[str], channel: str = "whatsapp") -> None:
    """Deliver the recorded messages, each at the moment it was sent (WhatsApp's carry it; SMS: 30 s apart)."""
    for number, name in enumerate(names):
        body = recorded(f"{channel}/{name}.json")
        if channel == "whatsapp":
            sent = json.loads(body)["entry"][0]["changes"][0]["value"]["messages"][0]["timestamp"]
            webhook.clock.move_to(dt.datetime.fromtimestamp(int(sent), tz=dt.UTC))
        else:
            webhook.clock.move_to(RECORDED_AT + dt.timedelta(seconds=30 * number))
        post = webhook.whatsapp if channel == "whatsapp" else webhook.sms
        assert post(body).status_code == 200


def receipt() -> tuple[str, str]:
    code, pin = RECEIPT.search(replies()[-1]).groups()
    return code, pin


class WhatsAppConversationTests:
    def test_bu_sri_reports_step_by_step_and_gets_a_code_and_pin(self, webhook, make_user):
        tell(webhook, WHATSAPP)
        report = Report.objects.get()
        assert (report.channel, report.urgent, report.harms, report.child_age) == (
            Channel.WHATSAPP,
            True,
            [Harm.TOUCHED],
            9,
        )
        assert (report.kecamatan.name, report.kelurahan.name) == ("Jombang", "Masigit")
        assert (report.reporter_anonymous, report.reporter_phone, report.recorded_by) == (True, "", None)
        code, pin = receipt()
        assert code == report.tracking_code
        assert f"STATUS {code} {pin}" in replies()[-1]
        assert Conversation.objects.count() == 0  # the draft is gone once it is a report
        assert ReporterLink.objects.get(report=report).address == "+6281234567890"

    def test_in_danger_now_gives_the_emergency_numbers_at_once(self, webhook):
        tell(webhook, WHATSAPP[:2])
        assert "110" in replies()[-1] and "129" in replies()[-1]
        assert "Apa yang terjadi pada anak?" in replies()[-1]

    def test_an_urgent_report_alerts_the_office_like_the_form(self, webhook, make_user):
        officer = make_user(Role.INTAKE_OFFICER)
        tell(webhook, WHATSAPP)
        alert = Notification.objects.get(user=officer, kind=NotificationKind.URGENT_REPORT)
        assert Report.objects.get().tracking_code in alert.message

    def test_an_answer_that_is_not_one_asks_the_same_question_again(self, webhook):
        tell(webhook, WHATSAPP[:1])
        webhook.whatsapp(whatsapp_text("mungkin", message_id="wamid.odd1", at=RECORDED_AT))
        assert replies()[-1].startswith("Maaf, jawaban itu tidak kami kenali.")
        assert "Apakah ada anak dalam bahaya sekarang?" in replies()[-1]
        webhook.whatsapp(whatsapp_text("2", message_id="wamid.odd2", at=RECORDED_AT))
        webhook.whatsapp(whatsapp_text("1 99", message_id="wamid.odd3", at=RECORDED_AT))
        assert replies()[-1].startswith("Maaf")

    def test_the_draft_is_stored_encrypted_and_found_by_the_blind_index(self, webhook):
        from django.db import connection

        tell(webhook, WHATSAPP[:4])
        with connection.cursor() as cursor:
            cursor.execute("SELECT sender, step, answers FROM channels_conversation")
            row = cursor.fetchone()
        assert all(value.startswith("enc1:") for value in row)
        assert "81234567890" not in json.dumps(row)
        draft = Conversation.objects.get(sender_index=services.sender_key("+62 812-3456-7890"))
        assert json.loads(draft.answers)["kecamatan"] == "36.72.05"

    def test_batal_discards_the_draft(self, webhook):
        tell(webhook, WHATSAPP[:3])
        webhook.whatsapp(whatsapp_text("batal", message_id="wamid.cancel", at=RECORDED_AT))
        assert Conversation.objects.count() == 0
        assert AuditEvent.objects.filter(action=AuditAction.CHANNEL_DRAFT_DISCARDED).count() == 1

    def test_two_first_messages_at_once_share_one_draft(self, webhook):
        """The race PostgreSQL lets happen: both find no draft, the second meets the unique key."""
        from unittest import mock

        from perisai.channels import services as channel_services

        tell(webhook, WHATSAPP[:1])
        real = channel_services._draft_of
        with mock.patch.object(channel_services, "_draft_of", side_effect=[None, real("whatsapp", *self.sender())]):
            answer = webhook.whatsapp(whatsapp_text("halo lagi", message_id="wamid.race", at=RECORDED_AT))
        assert answer.status_code == 200
        assert Conversation.objects.count() == 1
        assert "Apakah ada anak dalam bahaya sekarang?" in replies()[-1]

    @staticmethod
    def sender() -> tuple[str]:
        return (services.sender_key("+6281234567890"),)

    def test_a_flood_of_reports_from_one_number_is_refused_and_the_draft_kept(self, webhook, settings):
        settings.PERISAI_REPORTS_HARD_LIMIT = 0
        tell(webhook, WHATSAPP)
        assert Report.objects.count() == 0
        assert "Terlalu banyak laporan dari nomor ini" in replies()[-1]
        assert Conversation.objects.get().step == "contact"

    def test_many_reports_from_one_number_are_kept_but_flagged_for_review(self, webhook, settings):
        settings.PERISAI_REPORTS_SOFT_LIMIT = 0
        tell(webhook, WHATSAPP)
        assert Report.objects.get().review_reasons == ["rate"]

    def test_a_flood_of_messages_gets_no_answer(self, webhook, settings):
        settings.PERISAI_CHANNELS_MESSAGES_PER_HOUR = 2
        tell(webhook, WHATSAPP[:4])
        assert len(replies()) == 2


class SmsConversationTests:
    def test_a_reporter_by_sms_leaves_a_contact_and_names_places(self, webhook):
        tell(webhook, SMS, channel="sms")
        report = Report.objects.get()
        assert (report.channel, report.urgent, report.harms) == (Channel.SMS, False, [Harm.HIT, Harm.NEGLECTED])
        assert (report.kecamatan.name, report.kelurahan, report.child_age) == ("Citangkil", None, None)
        assert (report.reporter_anonymous, report.reporter_phone) == (False, "+6281577771234")
        assert replies()[3].startswith("Maaf")  # "9": there are eight kecamatan
        assert receipt()[0] == report.tracking_code


class AbandonedConversationTests:
    def test_a_draft_left_half_way_is_kept_then_erased_after_24_hours(self, webhook):
        # No child in danger now (an urgent draft is forwarded instead: test_urgent_drafts.py).
        tell(webhook, WHATSAPP[:1])
        for seconds, said in [(40, "2"), (90, "3"), (130, "jombang")]:
            at = RECORDED_AT + dt.timedelta(seconds=seconds)
            webhook.clock.move_to(at)
            webhook.whatsapp(whatsapp_text(said, message_id=f"wamid.{seconds}", at=at))
        last_answer = RECORDED_AT + dt.timedelta(seconds=130)
        assert services.conversations_expire(now=last_answer + dt.timedelta(hours=23, minutes=59)) == 0
        assert Conversation.objects.get().step == "kelurahan"
        assert services.conversations_expire(now=last_answer + dt.timedelta(hours=24, seconds=1)) == 1
        assert Conversation.objects.count() == 0
        assert AuditEvent.objects.get(action=AuditAction.CHANNEL_DRAFTS_EXPIRED).extra == {"count": 1}
        assert Report.objects.count() == 0

    def test_after_expiry_the_same_number_starts_afresh(self, webhook):
        tell(webhook, WHATSAPP[:1])
        webhook.whatsapp(whatsapp_text("2", message_id="wamid.calm", at=RECORDED_AT))  # no one in danger now
        services.conversations_expire(now=RECORDED_AT + dt.timedelta(days=2))
        webhook.clock.move_to(RECORDED_AT + dt.timedelta(days=2))
        later = RECORDED_AT + dt.timedelta(days=2)
        webhook.whatsapp(whatsapp_text("3", message_id="wamid.later", at=later))
        assert "Apakah ada anak dalam bahaya sekarang?" in replies()[-1]


class ContactAnswerTests:
    """The last question is "may an officer contact you?" with 1 = no (anonymous), 2 = yes: words go by meaning."""

    @pytest.mark.parametrize(
        ("said", "anonymous"),
        [("1", True), ("Tidak", True), ("tdk", True), ("jangan", True), ("2", False), ("Ya", False), ("boleh", False)],
    )
    def test_a_word_means_what_it_says_not_what_its_number_would(self, said, anonymous):
        from perisai.channels import conversation

        step = conversation.answer(conversation.CONTACT, {}, said)
        assert (step.step, step.answers["anonymous"]) == (conversation.DONE, anonymous)

    def test_anything_else_asks_again(self):
        from perisai.channels import conversation

        assert conversation.answer(conversation.CONTACT, {}, "mungkin").step == conversation.CONTACT
