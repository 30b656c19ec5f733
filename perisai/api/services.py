"""Writes of the API app: personal tokens (create, revoke, mark used). Audited in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from perisai.api import tokens
from perisai.api.models import ApiToken, TokenScope
from perisai.api.policies import MAX_DAYS, api_policy
from perisai.audit.choices import AuditAction
from perisai.audit.services import audit_record


@transaction.atomic
def token_create(*, actor, name: str, scope: str, days: int) -> tuple[ApiToken, str]:
    """A new token; the secret is returned once and never stored."""
    if not api_policy.can(actor, "manage_tokens"):
        raise Http404
    if scope not in TokenScope.values:
        raise ValidationError({"scope": _("Pilih izin token.")})
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError({"days": _("Masa berlaku 1 sampai %(max)d hari.") % {"max": MAX_DAYS}})
    secret, prefix, digest = tokens.new_secret()
    token = ApiToken.objects.create(
        user=actor,
        name=name.strip(),
        prefix=prefix,
        secret_hash=digest,
        scope=scope,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit_record(actor=actor, action=AuditAction.API_TOKEN_CREATED, obj=token, extra={"scope": scope, "days": days})
    return token, secret


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    if not api_policy.can(actor, "revoke", token):
        raise Http404
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action=AuditAction.API_TOKEN_REVOKED, obj=token)
    return token


def token_mark_used(*, token: ApiToken) -> None:
    """At most once a minute per token: a busy client must not write on every request."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
