"""Tracking codes and PINs for reporters."""

from __future__ import annotations

import json
import secrets

from perisai.core import crypto

# No 0/O, 1/I/L or U/V pairs: a code read aloud over a bad phone line or copied by hand stays right.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
PIN_DIGITS = 6


def new_tracking_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"LPR-{body[:4]}-{body[4:]}"


def normalize_code(typed: str) -> str:
    """Accept 'lpr 7k3m 9qxd', '7K3M9QXD' or the exact code; anything else gives ''."""
    cleaned = "".join(ch for ch in typed.upper() if ch.isalnum()).removeprefix("LPR")
    if len(cleaned) != 8 or any(ch not in ALPHABET for ch in cleaned):
        return ""
    return f"LPR-{cleaned[:4]}-{cleaned[4:]}"


def submission_key(token: str) -> str:
    return crypto.blind_index(token, purpose="reports.submission")


def content_key(fields: dict, device: str) -> str:
    """A keyed fingerprint of the answers and the device that sent them."""
    canonical = json.dumps(
        {name: str(getattr(value, "code", value)) for name, value in sorted(fields.items())},
        sort_keys=True,
        ensure_ascii=False,
    )
    return crypto.blind_index(f"{device}\x00{canonical}", purpose="reports.content")


def pin_for(token: str) -> str:
    """The PIN follows from the form's secret token, so a retried submission whose first answer was lost
    shows the same PIN again. Only someone holding the reporter's own page has the token."""
    digest = crypto.blind_index(token, purpose="reports.pin")
    return str(int(digest, 16) % 10**PIN_DIGITS).zfill(PIN_DIGITS)


def pin_hash(report_public_id: str, pin: str) -> str:
    # A keyed hash: six digits are too few for a slow hash to protect, but without the key (kept outside
    # the database) a stolen table gives nothing to brute-force.
    return crypto.blind_index(pin, purpose=f"reports.pin_hash:{report_public_id}")
