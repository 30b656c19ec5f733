"""Reads of the API app: a person's own tokens, and the token behind a request's secret."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone

from perisai.api import tokens
from perisai.api.models import ApiToken


def tokens_of(actor):
    return ApiToken.objects.filter(user=actor)


def token_of(actor, public_id) -> ApiToken:
    return get_object_or_404(ApiToken, public_id=public_id, user=actor)


def token_for_secret(raw: str) -> ApiToken | None:
    """The active token for a bearer secret, or None (unknown, wrong, expired, revoked, or its owner inactive)."""
    parts = tokens.split(raw)
    if parts is None:
        tokens.matches("x", "0" * 64)  # the same work as a known prefix: no timing hint about prefixes
        return None
    prefix, secret = parts
    token = ApiToken.objects.select_related("user", "user__agency").filter(prefix=prefix).first()
    if token is None:
        tokens.matches(secret, "0" * 64)
        return None
    if not tokens.matches(secret, token.secret_hash):
        return None
    if token.revoked_at is not None or token.expires_at <= timezone.now() or not token.user.is_active:
        return None
    return token
