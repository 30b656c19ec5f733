"""How django-axes identifies a sign-in attempt: the e-mail typed (normalised) and the client address."""

from perisai.audit.context import client_ip


def username_for_lockout(request, credentials=None) -> str:
    credentials = credentials or {}
    typed = credentials.get("email") or credentials.get("login") or credentials.get("username")
    if not typed and request is not None:
        typed = getattr(request, "POST", {}).get("login", "")
    # "Yuli@X" and "yuli@x " are one account: case or spaces must not reset the failure count.
    return (typed or "").strip().lower()


def ip_for_lockout(request) -> str | None:
    return client_ip(request)
