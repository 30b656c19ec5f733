"""Encryption of personal data at rest and keyed hashes for exact-match search.

Keys come from FIELD_ENCRYPTION_KEYS (Fernet, first key encrypts, all decrypt) and BLIND_INDEX_KEY, both
independent of SECRET_KEY: a leaked session key must not open a child's file (UU PDP 27/2022 Pasal 35-39
on securing specific personal data).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

__all__ = ["InvalidToken", "blind_index", "decrypt", "encrypt", "needs_rotation", "rotate"]


@cache
def _keys() -> tuple[Fernet, ...]:
    return tuple(Fernet(key.encode()) for key in settings.FIELD_ENCRYPTION_KEYS)


@cache
def _multi() -> MultiFernet:
    return MultiFernet(list(_keys()))


@cache
def _index_key() -> bytes:
    return base64.urlsafe_b64decode(settings.BLIND_INDEX_KEY.encode())


@receiver(setting_changed)
def _forget_keys(*, setting, **kwargs):
    if setting in {"FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY"}:
        _keys.cache_clear()
        _multi.cache_clear()
        _index_key.cache_clear()


def encrypt(data: bytes) -> bytes:
    return _multi().encrypt(data)


def decrypt(token: bytes) -> bytes:
    """Raises InvalidToken when no configured key opens the token (wrong or removed key, tampering)."""
    return _multi().decrypt(token)


def needs_rotation(token: bytes) -> bool:
    """True when the token was not made with the newest key, so rotation can resume where it stopped."""
    try:
        _keys()[0].decrypt(token)
    except InvalidToken:
        return True
    return False


def rotate(token: bytes) -> bytes:
    return _multi().rotate(token)


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed hash of an already-normalised value, for exact lookups without storing the value.

    The purpose is mixed in so the same NIK stored for a victim and for a perpetrator yields different
    hashes: one column cannot be joined against another without the key.
    """
    message = purpose.encode() + b"\x00" + value.encode()
    return hmac.new(_index_key(), message, hashlib.sha256).hexdigest()
