"""Attachments of any record (the file itself lives encrypted on disk, core.attachments), rate-limit windows,
in-app notices, the office's holidays, and the base that lets a model tell what a save moved."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perisai.core.choices import NotificationKind
from perisai.core.fields import EncryptedCharField


class Attachment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The owning record, by app label and opaque id; the owner's policy decides who may open the file.
    owner_type = models.CharField(max_length=60)
    owner_id = models.CharField(max_length=64)
    # The name as uploaded can itself name the child ("visum_Siti_12th.jpg"): encrypted, and never used
    # as the download name.
    original_name = EncryptedCharField(_("nama berkas asli"), max_length=255)
    content_type = models.CharField(_("jenis"), max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField(_("ukuran (bita)"))
    storage_name = models.CharField(max_length=64, unique=True, editable=False)
    metadata_removed = models.BooleanField(_("metadata dihapus"), default=False)
    # Whether the file names or shows people. Retention that deletes personal data once its purpose is served (UU PDP
    # 27/2022 Pasal 16) keeps files marked False: a prevention activity's slides and leaflets, not its attendance list.
    personal = models.BooleanField(_("berisi data pribadi"), default=True)
    # Keyed hash of the stored bytes: the same photo sent twice (a retried upload) is kept once.
    content_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lampiran")
        verbose_name_plural = _("lampiran")
        ordering = ["uploaded_at"]
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="core_attachment_owner_idx")]

    def __str__(self) -> str:
        return f"lampiran-{str(self.public_id)[:8]}.{self.extension}"

    @property
    def download_name(self) -> str:
        return str(self)


class RateCounter(models.Model):
    """One fixed time window of a rate limit. Keys are keyed hashes: no address is stored in clear."""

    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="core_ratecounter_unique")]

    def __str__(self) -> str:
        return f"{self.key[:8]}@{self.window_start:%H:%M} = {self.count}"


class Notification(models.Model):
    """An in-app notice for one user. The text names a case only by registration number and never a child
    (UU SPPA Pasal 19); the link leads to the page, where access is checked again."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=NotificationKind.choices, default=NotificationKind.OTHER)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # An e-mail is wanted and not yet queued. Queueing happens after the commit, and can fail on its own (the
    # database dropping just then); the scheduler's sweep queues what is still due (notifications.emails_sweep).
    email_due = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="core_notification_unread_idx"),
            # The sweep's lookup: almost every row is False, so a partial index stays a few rows small.
            models.Index(fields=["created_at"], condition=models.Q(email_due=True), name="core_notice_email_due_idx"),
        ]

    def __str__(self) -> str:
        return self.message


class NotificationPreference(models.Model):
    """A user's choice to get one kind of notice in the app only, without e-mail. No row: e-mail is sent."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="core_notification_pref_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.kind}={'email' if self.email else 'app'}"


class RemembersLoadedValues(models.Model):
    """Keeps the values of `remembered_fields` as they were read from the database (Django's documented
    `from_db` hook), so the code announcing a write can tell that a row moved to another parent, e.g. a
    victim to another case, and announce both. Read only from the row's own columns: no query is added."""

    remembered_fields: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values, *, fetch_mode=None):
        instance = super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        # __dict__, not getattr: a deferred column must not cost a query per row read.
        instance._loaded_values = {name: instance.__dict__.get(name) for name in cls.remembered_fields}
        return instance

    def loaded_value(self, name: str) -> Any:
        """The column's value when the row was read or last saved; None for a row not yet saved."""
        return getattr(self, "_loaded_values", {}).get(name)

    def remember_saved_values(self) -> None:
        self._loaded_values = {name: self.__dict__.get(name) for name in self.remembered_fields}


class ProcessHeartbeat(models.Model):
    """A background process (task worker or scheduler) that says it is alive every few seconds. A task whose worker
    stopped beating is run again or marked failed (perisai.core.worker); /healthz reports the newest beat per kind.
    Holds no personal data: a host name, a process id and times."""

    class Kind(models.TextChoices):
        WORKER = "worker", _("Pekerja latar belakang")
        SCHEDULER = "scheduler", _("Penjadwal")
        WEB = "web", _("Server web")  # beats on each /healthz, which proves the database takes writes

    ident = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    host = models.CharField(max_length=100, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.kind} {self.ident} @ {self.seen_at:%H:%M:%S}"


class Holiday(models.Model):
    """A day the office is closed besides its weekly days off: national holidays and cuti bersama, set each year by
    the SKB 3 Menteri and sometimes changed during the year, so kept by the office's administrators rather than
    shipped. Deadlines in working days skip it, and a report sent before it is promised the morning after."""

    date = models.DateField(_("tanggal"), unique=True)
    name = models.CharField(_("keterangan"), max_length=120)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date"]
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
