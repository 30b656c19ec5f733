"""ALTCHA proof-of-work (altcha 2.x library, widget 3.x): costs a bot per report, costs a person nothing.

A missing or wrong solution never blocks a report (people without JavaScript send none); it flags the
report for review. Solutions are single-use.
"""

from __future__ import annotations

import datetime as dt
import secrets

import altcha
from django.core.cache import cache

from perisai.core import crypto, outage

ALGORITHM = "SHA-256"
# Fixed-effort mode: the server picks the answer's position, so every device does about COUNTER x COST hash
# rounds — a second or two on an inexpensive phone — instead of a random, sometimes minute-long search.
COST = 50
COUNTER_RANGE = (500, 1500)
LIFETIME = dt.timedelta(hours=2)  # long enough to write a report on a slow connection


def _secret() -> str:
    return crypto.blind_index("altcha", purpose="reports.altcha.hmac")


def _key_secret() -> str:
    return crypto.blind_index("altcha", purpose="reports.altcha.key")


def new_challenge() -> dict:
    challenge = altcha.create_challenge(
        ALGORITHM,
        COST,
        counter=COUNTER_RANGE[0] + secrets.randbelow(COUNTER_RANGE[1] - COUNTER_RANGE[0]),
        hmac_secret=_secret(),
        hmac_key_secret=_key_secret(),
        expires_at=dt.datetime.now(dt.UTC) + LIFETIME,
    )
    return challenge.to_dict()


def verified(payload: str) -> bool:
    if not payload or len(payload) > 4_000:
        return False
    try:
        result = altcha.verify_solution(payload, _secret(), hmac_key_secret=_key_secret())
    except Exception:  # any malformed payload is simply "not verified"
        return False
    if not result.verified or result.expired:
        return False
    # One solution, one report: a bot cannot reuse a solved challenge.
    try:
        return cache.add(
            f"altcha-used:{crypto.blind_index(payload, purpose='reports.altcha.used')}",
            1,
            timeout=int(LIFETIME.total_seconds()),
        )
    except Exception as error:
        # The cache is in the database. If it is failing, whether this solution was used cannot be known: "not
        # verified" only flags the report for review, and the report is still stored if the database lets it.
        if not outage.is_outage(error):
            raise
        return False
