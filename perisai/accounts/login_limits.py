"""Sign-in limits an office behind one address can live with (issue 15, item 5).

allauth's default limit of 30 sign-ins a minute per address let anyone on the office's network (its guest Wi-Fi,
the same mobile carrier address) lock every colleague out, unrecorded. Instead:

- per account: PERISAI_LOGIN_ACCOUNT_LIMIT failed attempts in 15 minutes, from anywhere, hold that account's
  sign-in (django-axes still locks an account + address pair after AXES_FAILURE_LIMIT failures);
- per address: PERISAI_LOGIN_ADDRESS_LIMIT attempts in 10 minutes (generous: a whole office signing in at eight
  stays far below it; a script does not);
- a browser that signed in to an account before carries a signed "trusted device" cookie for it (OWASP's device
  cookies: a random id per browser and the accounts it signed in to) and is counted apart, browser by browser:
  its owner can still sign in while someone else hammers the account or the address, and a stolen laptop (or a
  copied cookie) gets only the per-account number of guesses, for that browser alone.

Every hold is a security event in the audit trail, and the form says why in plain Indonesian.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from perisai.accounts.lockout import username_for_lockout
from perisai.audit.choices import AuditAction
from perisai.audit.context import client_ip
from perisai.core import crypto, ratelimit, security

COOKIE = "perisai_perangkat"
COOKIE_DAYS = 90
SALT = "perisai.accounts.trusted-device"
ACCOUNT_WINDOW = dt.timedelta(minutes=15)
ADDRESS_WINDOW = dt.timedelta(minutes=10)
MAX_ACCOUNTS_PER_DEVICE = 5  # a shared office computer


def _mark(login: str) -> str:
    # The cookie names no account: a keyed hash of the normalised e-mail.
    return crypto.blind_index(login, purpose="accounts.trusted-device")[:32]


def _cookie(request) -> tuple[str, list[str]]:
    """This browser's random device id and the accounts it signed in to (empty if none or tampered with)."""
    try:
        value = signing.loads(request.COOKIES.get(COOKIE, ""), salt=SALT, max_age=COOKIE_DAYS * 86400)
    except signing.BadSignature:
        return "", []
    if not isinstance(value, dict) or not isinstance(value.get("d"), str) or not isinstance(value.get("m"), list):
        return "", []
    return value["d"], [m for m in value["m"] if isinstance(m, str)]


def _marks(request) -> list[str]:
    return _cookie(request)[1]


def _login(request, credentials: dict) -> str:
    return username_for_lockout(request, credentials)


def trusted(request, login: str) -> bool:
    return bool(login) and _mark(login) in _marks(request)


def _account_bucket(request, login: str) -> str:
    # Each trusted browser has its own count: guessing on one (a copied cookie, a shared computer) holds that
    # browser only, never the owner's others.
    return f"{login}|{_cookie(request)[0]}" if trusted(request, login) else login


def check(request, credentials: dict) -> None:
    """Before the password is checked: refuse while the account or the address is held."""
    login = _login(request, credentials)
    if ratelimit.count("login.account", _account_bucket(request, login), window=ACCOUNT_WINDOW) >= (
        settings.PERISAI_LOGIN_ACCOUNT_LIMIT
    ):
        _hold(request, "account")
        raise ValidationError(
            _(
                "Terlalu banyak percobaan masuk yang gagal untuk akun ini. Coba lagi 15 menit lagi, atau masuk dari "
                "perangkat yang biasa Anda pakai. Jika bukan Anda yang mencoba, beri tahu administrator."
            ),
            code="too_many_login_attempts",
        )
    if trusted(request, login):
        return
    if ratelimit.hit("login.address", ratelimit.address_key(client_ip(request)), window=ADDRESS_WINDOW) > (
        settings.PERISAI_LOGIN_ADDRESS_LIMIT
    ):
        _hold(request, "address")
        raise ValidationError(
            _(
                "Terlalu banyak percobaan masuk dari jaringan ini dalam 10 menit terakhir. Coba lagi sebentar lagi, "
                "atau masuk dari perangkat yang biasa Anda pakai."
            ),
            code="too_many_login_attempts",
        )


def failed(request, credentials: dict) -> None:
    login = _login(request, credentials)
    if login:
        ratelimit.hit("login.account", _account_bucket(request, login), window=ACCOUNT_WINDOW)


def _hold(request, limit: str) -> None:
    security.record_safely(request, AuditAction.LOGIN_THROTTLED, limit=limit)


def remember_device(request, user) -> None:
    """After a sign-in: this browser is trusted for this account (the cookie is written by the middleware)."""
    device, marks = _cookie(request)
    mark = _mark(username_for_lockout(None, {"email": user.email}))
    marks = [mark] + [m for m in marks if m != mark]
    request._perisai_trusted_device = {"d": device or secrets.token_urlsafe(16), "m": marks[:MAX_ACCOUNTS_PER_DEVICE]}


def write_cookie(request, response) -> None:
    value = getattr(request, "_perisai_trusted_device", None)
    if value is None:
        return
    response.set_cookie(
        COOKIE,
        signing.dumps(value, salt=SALT),
        max_age=COOKIE_DAYS * 86400,
        path="/akun/",  # only the sign-in pages read it
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def axes_whitelist(request, credentials=None) -> bool:
    """AXES_WHITELIST_CALLABLE: a trusted device is never locked by axes' account + address lockout; its own
    per-account counter above still holds it after PERISAI_LOGIN_ACCOUNT_LIMIT failures."""
    return request is not None and trusted(request, _login(request, credentials or {}))


class TrustedDeviceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        write_cookie(request, response)
        return response
