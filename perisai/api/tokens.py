"""Making and checking token secrets: "psi_<prefix>_<secret>", 256 bits of randomness, stored as SHA-256 (a slow
hash adds nothing for a random secret of this length, and every API request checks one)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

PREFIX = "psi"


def new_secret() -> tuple[str, str, str]:
    """(full token to show once, prefix to store, hash to store)."""
    prefix = secrets.token_hex(5)
    secret = secrets.token_urlsafe(32)
    return f"{PREFIX}_{prefix}_{secret}", prefix, digest(secret)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def split(token: str) -> tuple[str, str] | None:
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


def matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(digest(secret), stored_hash)
