"""Secrets for settings: generated once in development, strictly checked in production.

Keys are independent of each other on purpose: leaking SECRET_KEY (sessions, CSRF) must not
decrypt a child's file, and rotating the field keys must not log everybody out.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

MIN_SECRET_KEY_LENGTH = 50
MIN_SECRET_KEY_UNIQUE_CHARS = 5
MIN_BLIND_INDEX_KEY_BYTES = 32


def _generate_secret_key() -> str:
    return secrets.token_urlsafe(64)


def _generate_fernet_key() -> str:
    return Fernet.generate_key().decode()


def _generate_blind_index_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def _generate_backup_key() -> str:
    # Its own random bytes, derived from no other key: a backup archive must stay closed to whoever holds only
    # the field keys, and the field keys must not be recoverable from the backup key (perisai/ops/archive.py).
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


GENERATORS = {
    "SECRET_KEY": _generate_secret_key,
    "FIELD_ENCRYPTION_KEYS": _generate_fernet_key,
    "BLIND_INDEX_KEY": _generate_blind_index_key,
    "PERISAI_BACKUP_KEY": _generate_backup_key,
}


def development_secrets(path: Path) -> dict[str, str]:
    """Read var/secrets.env, creating any missing secret once so restarts keep sessions and data readable."""
    values: dict[str, str] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if "=" in line and not line.lstrip().startswith("#"):
                key, _, value = line.partition("=")
                values[key.strip()] = value.strip()
    missing = [name for name in GENERATORS if not values.get(name)]
    if missing:
        for name in missing:
            values[name] = GENERATORS[name]()
        path.parent.mkdir(parents=True, exist_ok=True)
        body = "# Generated for development by Perisai. Never use these in production.\n"
        body += "".join(f"{key}={value}\n" for key, value in values.items())
        # Written beside and renamed over the old file, created 0600: a process starting at the same moment
        # never reads a half-written file (and generates new field keys for data that needs the old ones), and
        # the keys are never readable by others, not even for an instant.
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(body)
        os.replace(temporary, path)
    return values


def check_secret_key(value: str) -> list[str]:
    """The same test as Django's security.W009, applied before start-up instead of as a warning."""
    if not value:
        return ["SECRET_KEY is missing."]
    if (
        len(value) < MIN_SECRET_KEY_LENGTH
        or len(set(value)) < MIN_SECRET_KEY_UNIQUE_CHARS
        or value.startswith("django-insecure-")
    ):
        return [
            f"SECRET_KEY is weak: use at least {MIN_SECRET_KEY_LENGTH} random characters "
            "(python -c 'import secrets; print(secrets.token_urlsafe(64))')."
        ]
    return []


def check_fernet_keys(keys: list[str]) -> list[str]:
    if not keys:
        return ["FIELD_ENCRYPTION_KEYS is missing."]
    errors = []
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except (ValueError, binascii.Error):
            errors.append(
                f"FIELD_ENCRYPTION_KEYS key #{position} is not a valid Fernet key "
                "(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')."
            )
    return errors


def check_blind_index_key(value: str) -> list[str]:
    if not value:
        return ["BLIND_INDEX_KEY is missing."]
    try:
        raw = base64.urlsafe_b64decode(value.encode())
    except (ValueError, binascii.Error):
        raw = b""
    if len(raw) < MIN_BLIND_INDEX_KEY_BYTES:
        return [f"BLIND_INDEX_KEY must be at least {MIN_BLIND_INDEX_KEY_BYTES} random bytes, url-safe base64 encoded."]
    return []


def require_production_secrets(*, secret_key: str, field_keys: list[str], blind_index_key: str) -> None:
    """Refuse to start rather than run a child-protection system on missing or guessable keys."""
    errors = check_secret_key(secret_key) + check_fernet_keys(field_keys) + check_blind_index_key(blind_index_key)
    if errors:
        raise ImproperlyConfigured("Perisai refuses to start in production:\n- " + "\n- ".join(errors))
