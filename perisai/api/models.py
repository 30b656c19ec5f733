"""Personal API tokens: a person's key for the REST API (/api/v1/). Only a hash is stored; the secret is shown once.
A token acts as its owner with that person's roles and scope of data, narrowed by its own scope (read or write),
until it expires or is revoked."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TokenScope(models.TextChoices):
    READ = "read", _("Baca saja")
    WRITE = "write", _("Baca dan tulis")


class ApiToken(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nama token"), max_length=80)
    # The first characters of the secret, shown in lists and used to find the row; the rest only as a hash.
    prefix = models.CharField(max_length=12, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    scope = models.CharField(_("izin"), max_length=10, choices=TokenScope.choices, default=TokenScope.READ)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)

    class Meta:
        verbose_name = _("token API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
