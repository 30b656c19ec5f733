"""The scheduler erases WhatsApp/SMS report drafts abandoned for a day (perisai.channels)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from perisai.channels.models import Conversation
from perisai.ops.jobs import job_named

pytestmark = pytest.mark.django_db

STARTED = dt.datetime(2026, 3, 10, 22, 40, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def test_the_hourly_job_erases_drafts_untouched_for_24_hours():
    for minutes_ago in (0, 60):
        Conversation.objects.create(
            channel="whatsapp",
            sender=f"+62812345678{minutes_ago:02d}",
            step="harms",
            updated_at=STARTED - dt.timedelta(minutes=minutes_ago),
        )
    job = job_named("channel_drafts")
    assert job.every == dt.timedelta(hours=1)
    with time_machine.travel(STARTED + dt.timedelta(hours=23, minutes=30), tick=False):
        assert job.run() == "1 draf laporan WhatsApp/SMS dihapus"
    assert Conversation.objects.count() == 1
