"""Is this delivery really from our provider, and recent? Both webhooks are open to the internet without an
account: a valid HMAC over the exact bytes received is the only thing that lets a message in.

- WhatsApp Cloud API (Meta): `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, keyed with the app
  secret>`. Meta signs no timestamp header, so the replay window is applied to each message's own (signed)
  `timestamp` (inbound.parse_whatsapp).
- The generic SMS gateway (docs/channels.md): `X-Perisai-Timestamp: <unix seconds>` and
  `X-Perisai-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>", keyed with PERISAI_SMS_SECRET>`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.utils import timezone


def _matches(secret: str, message: bytes, header: str) -> bool:
    if not secret or not header.startswith("sha256="):
        return False  # an unset secret accepts nothing: a missing setting must not open the door
    expected = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    # Bytes, not str: compare_digest raises on non-ASCII text, and a header is whatever a stranger sent.
    provided = header.removeprefix("sha256=").strip().lower().encode("utf-8", "replace")
    return hmac.compare_digest(expected.encode(), provided)


def whatsapp_signed(body: bytes, header: str) -> bool:
    return _matches(settings.PERISAI_WHATSAPP_APP_SECRET, body, header)


def sms_signed(body: bytes, timestamp: str, header: str) -> bool:
    return _matches(settings.PERISAI_SMS_SECRET, timestamp.encode() + b"." + body, header)


def written_at(timestamp: str | int | None) -> dt.datetime | None:
    """The moment a provider says a message was written (unix seconds), or None if it says nothing usable."""
    try:
        return dt.datetime.fromtimestamp(int(str(timestamp)), tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def recent(timestamp: str | int | None, *, seconds: int | None = None) -> bool:
    """Within `seconds` (PERISAI_CHANNELS_REPLAY_SECONDS unless given) of now, either way (a gateway's clock may run
    a little ahead). A recorded delivery sent again later is refused even with its valid signature; one sent again
    sooner is caught by its message id (services.SeenMessage)."""
    moment = written_at(timestamp)
    if moment is None:
        return False
    window = settings.PERISAI_CHANNELS_REPLAY_SECONDS if seconds is None else seconds
    return abs(timezone.now() - moment) <= dt.timedelta(seconds=window)
