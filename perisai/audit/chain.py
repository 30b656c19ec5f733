"""The hash that links each audit event to the one before it."""

from __future__ import annotations

import hashlib
import json

GENESIS = "0" * 64


def event_hash(event) -> str:
    """SHA-256 over a canonical JSON of every recorded field plus the previous hash."""
    payload = {
        "seq": event.seq,
        "public_id": str(event.public_id),
        "occurred_at": event.occurred_at.isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "agency": event.agency_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "outcome": event.outcome,
        "ip_address": event.ip_address,
        "user_agent": event.user_agent,
        "extra": event.extra,
        "prev_hash": event.prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()
