"""Reports told by WhatsApp or SMS: the conversation while it is a draft, the way back to the reporter, the
messages waiting to go out, and the provider ids already seen. Numbers and words are stored only encrypted; a
number is found again by its blind index (UU PDP 27/2022 Pasal 35: the controller keeps personal data secure)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perisai.core.fields import BlindIndexField, EncryptedCharField, EncryptedTextField
from perisai.reports.choices import Channel

# Only these two arrive through perisai.channels; the rest of reports.choices.Channel are the form and staff intake.
CHANNELS = [(Channel.WHATSAPP.value, Channel.WHATSAPP.label), (Channel.SMS.value, Channel.SMS.label)]
SENDER_PURPOSE = "channels.sender"


class Conversation(models.Model):
    """A report being told one answer at a time: a draft, not yet a report, deleted when the report is sent, when
    the sender cancels, or 24 hours after the last answer (services.conversations_expire). An urgent draft left
    half-way is forwarded as a report and stays as a marker (step "forwarded", the report's id as its answers), so
    that what the reporter writes next reaches that report (services.conversations_forward_urgent)."""

    channel = models.CharField(max_length=10, choices=CHANNELS)
    sender = EncryptedCharField(max_length=32)
    sender_index = BlindIndexField(source="sender", purpose=SENDER_PURPOSE, normalizer="digits")
    step = EncryptedCharField(max_length=20)  # which question waits: even that says "a child in danger now"
    answers = EncryptedTextField(default="{}")  # JSON
    # The report's submission token: a final answer delivered twice finds the same report and PIN.
    token = models.UUIDField(default=uuid.uuid4, editable=False)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "sender_index"], name="channels_one_draft_per_sender")
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.started_at:%d-%m-%Y %H:%M}"  # never the number


class ReporterLink(models.Model):
    """The channel and number a report came from, so the office's messages reach the reporter there. Kept even
    for an anonymous report (staff never see it), erased when the report is anonymised."""

    report = models.OneToOneField("reports.Report", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("saluran"), max_length=10, choices=CHANNELS)
    address = EncryptedCharField(max_length=32)
    address_index = BlindIndexField(source="address", purpose=SENDER_PURPOSE, normalizer="digits")
    created_at = models.DateTimeField(default=timezone.now)
    # When the reporter last wrote from this number: WhatsApp accepts free text only within 24 hours of it.
    last_inbound_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.report_id}"


class Outbound(models.Model):
    """One message to send (tasks.send_outbound). The number and words are erased once it is sent."""

    channel = models.CharField(max_length=10, choices=CHANNELS)
    to = EncryptedCharField(max_length=32, blank=True)
    body = EncryptedTextField(blank=True)
    # An approved WhatsApp template sent instead of the body (outside the 24-hour window); it holds no words.
    template = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # An officer's message (reports.ReportMessage) and its report, by id: a message that cannot be delivered is
    # marked so for staff, and anonymising the report erases what still waits (UU PDP 27/2022 Pasal 43).
    report_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    message_id = models.PositiveBigIntegerField(null=True, blank=True)
    # The provider's id of the sent message ("wamid…"): its delivery statuses name it.
    provider_id = models.CharField(max_length=128, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.created_at:%d-%m-%Y %H:%M}"


class SeenMessage(models.Model):
    """A provider's message id (keyed hash) already handled: a retried or replayed delivery is answered once."""

    channel = models.CharField(max_length=10, choices=CHANNELS)
    key = models.CharField(max_length=64)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "key"], name="channels_message_once")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.received_at:%d-%m-%Y %H:%M}"
