"""The issue's "done": a WhatsApp conversation replayed from recorded payloads creates a report that staff
triage, and the reporter gets the staff reply and the status on WhatsApp (console sender).

Staff work through their real pages by URL (the inbox, the report, triage): the channels app sits below cases
and imports nothing of them."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from perisai.accounts.choices import Role
from perisai.channels.senders import ConsoleSender
from perisai.channels.tests.conftest import RECORDED_AT, replies, run_queued_sends, whatsapp_text
from perisai.channels.tests.test_conversation import WHATSAPP, receipt, tell
from perisai.reports.choices import MessageSender, ReportStatus
from perisai.reports.models import Report, ReportMessage

pytestmark = pytest.mark.django_db

QUESTION = "Apakah anak masih di rumah sekarang?"
NEXT_MORNING = RECORDED_AT + dt.timedelta(hours=9)  # 07:40, Rina opens the inbox


def test_whatsapp_report_triaged_with_staff_reply_and_status_on_whatsapp(
    webhook, client, make_user, django_capture_on_commit_callbacks
):
    tell(webhook, WHATSAPP)
    code, pin = receipt()
    report = Report.objects.get(tracking_code=code)

    webhook.clock.move_to(NEXT_MORNING)
    client.force_login(make_user(Role.INTAKE_OFFICER))
    inbox = client.get("/staf/laporan/").content.decode()
    assert code in inbox and "WhatsApp" in inbox
    assert "81234567890" not in client.get(f"/staf/laporan/{report.public_id}/").content.decode()  # anonymous

    ConsoleSender.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(f"/staf/laporan/{report.public_id}/pesan/", {"body": QUESTION})
    assert sent.status_code == 302
    run_queued_sends()
    [delivered] = ConsoleSender.outbox
    assert delivered.channel == "whatsapp" and delivered.to == "+6281234567890"
    assert code in delivered.body and QUESTION in delivered.body

    with django_capture_on_commit_callbacks(execute=True):
        triaged = client.post(f"/staf/kasus/triase/{report.public_id}/", {"decision": "open", "risk": "tinggi",
                                                                            "authority": "kota"})  # fmt: skip
    assert triaged.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_CASE and report.case_id is not None

    webhook.whatsapp(whatsapp_text(f"status {code} {pin}", message_id="wamid.status1", at=NEXT_MORNING))
    status = replies()[-1]
    assert f"Laporan {code}: Laporan Anda sedang ditangani." in status
    assert "[x] Diterima" in status and "[x] Ditangani petugas" in status and "[ ] Selesai" in status
    assert QUESTION in status

    webhook.whatsapp(whatsapp_text(f"BALAS {code} {pin} Ya, masih di rumah", message_id="wamid.b1", at=NEXT_MORNING))
    assert "sudah kami terima" in replies()[-1]
    answer = ReportMessage.objects.get(report=report, sender=MessageSender.REPORTER)
    assert answer.body == "Ya, masih di rumah"


class StatusCommandTests:
    def test_a_wrong_pin_is_refused_and_counts_like_the_web(self, webhook, settings):
        tell(webhook, WHATSAPP)
        code, pin = receipt()
        wrong = "000000" if pin != "000000" else "111111"
        settings.PERISAI_PIN_MAX_ATTEMPTS = 2
        for number in range(2):
            webhook.whatsapp(whatsapp_text(f"STATUS {code} {wrong}", message_id=f"wamid.w{number}", at=RECORDED_AT))
        assert "Kode atau PIN tidak cocok" in replies()[-2]
        assert re.search(r"Coba lagi setelah pukul \d\d:\d\d", replies()[-1])
        webhook.whatsapp(whatsapp_text(f"STATUS {code} {pin}", message_id="wamid.w9", at=RECORDED_AT))
        assert "Coba lagi setelah pukul" in replies()[-1]  # locked for the right PIN too, as on /lapor/cek/

    def test_status_while_telling_a_new_report_keeps_the_draft(self, webhook):
        tell(webhook, WHATSAPP)
        code, pin = receipt()
        webhook.whatsapp(whatsapp_text("halo lagi", message_id="wamid.new", at=RECORDED_AT))
        webhook.whatsapp(whatsapp_text(f"STATUS {code} {pin}", message_id="wamid.st", at=RECORDED_AT))
        assert "Laporan Anda sudah diterima." in replies()[-1]
        assert "Belum ada pesan dari petugas." in replies()[-1]
        webhook.whatsapp(whatsapp_text("2", message_id="wamid.go", at=RECORDED_AT))
        assert "Apa yang terjadi pada anak?" in replies()[-1]

    def test_an_incomplete_command_explains_the_format(self, webhook):
        webhook.whatsapp(whatsapp_text("STATUS", message_id="wamid.h", at=RECORDED_AT))
        assert replies()[-1].startswith("Format: STATUS")


def test_only_reports_that_came_by_whatsapp_or_sms_get_staff_messages_there(
    webhook, make_user, django_capture_on_commit_callbacks
):
    from perisai.reports.services import report_message_from_staff, report_submit

    tell(webhook, WHATSAPP)
    by_whatsapp = Report.objects.get()
    on_the_web = report_submit(actor=None, fields={"harms": ["hit"]}, token="web-token").report
    ConsoleSender.outbox.clear()
    officer = make_user(Role.INTAKE_OFFICER)
    for report in (on_the_web, by_whatsapp):
        with django_capture_on_commit_callbacks(execute=True):
            report_message_from_staff(actor=officer, report=report, body=QUESTION)
    run_queued_sends()
    assert [by_whatsapp.tracking_code in sent.body for sent in ConsoleSender.outbox] == [True]
