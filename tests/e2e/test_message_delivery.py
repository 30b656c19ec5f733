"""An officer sees, under her message, that it has not reached the reporter's WhatsApp and why (issue 17: staff
messages after Meta's 24-hour window used to fail silently). At 360 and 1280 px, axe clean."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from perisai.accounts.choices import Role
from perisai.reports import services
from perisai.reports.choices import Channel, Undelivered
from perisai.reports.tests.helpers import submitted


@pytest.mark.parametrize("viewport", ["mobile", "desktop"])
def test_an_undelivered_message_is_marked_in_the_thread(open_page, make_user, viewport):
    officer = make_user(Role.INTAKE_OFFICER)
    report = submitted().report
    message = services.report_message_from_staff(actor=officer, report=report, body="Apakah anak masih di rumah?")
    services.report_message_undelivered(message_id=message.pk, reason=Undelivered.WINDOW)

    p = open_page(viewport, user=officer, javascript=False, enforce_csp=True)
    p.visit(reverse("reports:detail", args=[report.public_id]))
    note = p.get_by_role("note")
    expect(note).to_contain_text("Belum sampai ke ponsel pelapor.")
    expect(note).to_contain_text("WhatsApp hanya mengizinkan balasan dalam 24 jam")
    p.assert_no_horizontal_scroll()
    note.scroll_into_view_if_needed()
    p.screenshot("undelivered")


@pytest.mark.parametrize("viewport", ["mobile", "desktop"])
def test_an_unfinished_urgent_report_says_so_on_its_page(open_page, make_user, viewport):
    """A WhatsApp reporter said a child is in danger now, then stopped answering: the officer reads that the report
    holds only what was said by then, and that her message reaches the reporter (channels/test_urgent_drafts.py)."""
    officer = make_user(Role.INTAKE_OFFICER)
    report = services.report_submit(
        actor=None,
        fields={"urgent": True, "unfinished": True, "harms": ["touched"], "reporter_anonymous": True},
        token="e2e-unfinished",
        channel=Channel.WHATSAPP,
    ).report

    p = open_page(viewport, user=officer, javascript=False, enforce_csp=True)
    p.visit(reverse("reports:detail", args=[report.public_id]))
    expect(p.get_by_text("Pelapor berhenti menjawab setelah menyatakan anak dalam bahaya")).to_be_visible()
    expect(p.get_by_role("heading", level=1)).to_contain_text("Darurat")
    p.assert_no_horizontal_scroll()
    p.screenshot("unfinished")
