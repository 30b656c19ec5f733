"""Logging: one JSON object per line in production, readable lines in development, never personal data.

Everything goes through structlog's ProcessorFormatter, so Django's and the libraries' own log records (stdlib
`logging`) come out in the same shape as ours. Every line carries the request id of the request it belongs to
(`perisai.core.request_log` binds it). Personal data is kept out by design (log ids, never names; never a query
string; exception messages are dropped in production because they can quote a value) and, as a safety net, by
`drop_personal_data`, which blanks fields whose name suggests personal data and values that look like an e-mail
address, a phone number or a NIK.

Imported by config/settings.py: nothing here may import Django's models or read settings.
"""

from __future__ import annotations

import re
import sys
import traceback
from typing import Any

import structlog
from structlog.tracebacks import ExceptionDictTransformer

FORMATS = ("json", "console")
REMOVED = "[removed]"

# Fields this project writes and knows to be safe, whatever their names suggest.
SAFE_KEYS = frozenset(
    {
        "event",
        "level",
        "logger",
        "timestamp",
        "request_id",
        "method",
        "route",
        "status",
        "status_code",
        "duration_ms",
        "user_id",
        "error",
        "errno",
        "answer",
        "exception",
        "exc_info",
        "stack_info",
    }
)
# A field whose name contains one of these is blanked: who someone is, how to reach them, what they wrote, and
# what lets someone in. "request" is Django's own extra on django.request records: its text includes the query
# string. "user" would print the account's e-mail address (User.__str__); user_id is the safe way.
SENSITIVE_FRAGMENTS = (
    "email",
    "mail",
    "name",
    "phone",
    "telp",
    "whatsapp",
    "address",
    "alamat",
    "description",
    "narrative",
    "story",
    "cerita",
    "body",
    "note",
    "comment",
    "password",
    "passwd",
    "secret",
    "token",
    "cookie",
    "session",
    "csrf",
    "query",
    "search",
    "param",
    "header",
    "request",
    "agent",
    "child",
    "victim",
    "reporter",
    "perpetrator",
    "birth",
)
# Short words only count as a whole part of the name ("ip" in "client_ip", not in "description").
SENSITIVE_PARTS = frozenset({"ip", "pin", "nik", "q", "dob", "user", "otp", "totp", "code"})
_PARTS = re.compile(r"[^a-z0-9]+")
# Values that look like personal data wherever they appear: an e-mail address, an Indonesian mobile number, a NIK.
_LOOKS_PERSONAL = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail
    r"|(?<![\w+])(?:\+62[\s.-]?|62|0)8[\d\s.-]{7,14}\d(?!\w)"  # 08..., +62 8..., 628...
    r"|(?<!\w)\d{16}(?!\w)"  # NIK: 16 digits
)


def is_sensitive_key(key: str) -> bool:
    lowered = key.lower()
    if lowered in SAFE_KEYS:
        return False
    if any(fragment in lowered for fragment in SENSITIVE_FRAGMENTS):
        return True
    return any(part in SENSITIVE_PARTS for part in _PARTS.split(lowered))


def scrub_text(text: str) -> str:
    return _LOOKS_PERSONAL.sub(REMOVED, text)


def _scrub(value: Any, depth: int = 0) -> Any:
    if isinstance(value, str):
        return scrub_text(value)
    if depth > 4:
        return value
    if isinstance(value, dict):
        return {
            key: REMOVED if isinstance(key, str) and is_sensitive_key(key) else _scrub(item, depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_scrub(item, depth + 1) for item in value]
    return value


def _scrub_texts(value: Any, depth: int = 0) -> Any:
    if isinstance(value, str):
        return scrub_text(value)
    if depth > 8:
        return value
    if isinstance(value, dict):
        return {key: _scrub_texts(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub_texts(item, depth + 1) for item in value]
    return value


def drop_personal_data(_logger, _method: str, event_dict: dict) -> dict:
    """structlog processor: the safety net. Blanks every field whose name suggests personal data (nested too),
    and e-mail addresses, phone numbers and NIKs inside any text. Code should never need it."""
    for key in list(event_dict):
        if key.startswith("_") or key == "exc_info":
            continue  # structlog's own bookkeeping; the console renderer's traceback (development only)
        if key == "exception":  # a rendered exception: its keys are structure ("filename"), its texts are scanned
            event_dict[key] = _scrub_texts(event_dict[key])
        elif is_sensitive_key(key):
            event_dict[key] = REMOVED
        elif key in {"positional_args", "message"}:
            # The arguments of a %-message, and the text another handler's formatter left on the record: both
            # already in the event.
            del event_dict[key]
        else:
            event_dict[key] = _scrub(event_dict[key])
    return event_dict


def exception_without_message(_logger, _method: str, event_dict: dict) -> dict:
    """structlog processor for production: an exception becomes its type and where it was raised, file, line and
    function of each frame, never its message. Messages quote values: a validation error can hold a child's name,
    a database error the row that failed."""
    exc_info = event_dict.pop("exc_info", None)
    if exc_info is True:
        exc_info = sys.exc_info()
    if isinstance(exc_info, BaseException):
        exc_info = (type(exc_info), exc_info, exc_info.__traceback__)
    if exc_info and exc_info[0] is not None:
        event_dict["exception"] = describe_exception(exc_info[1])
    return event_dict


def describe_exception(error: BaseException, depth: int = 0) -> dict:
    described: dict[str, Any] = {
        "type": f"{type(error).__module__}.{type(error).__qualname__}",
        "frames": [
            f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in traceback.extract_tb(error.__traceback__)
        ][-30:],
    }
    cause = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    if cause is not None and depth < 3:
        described["cause"] = describe_exception(cause, depth + 1)
    return described


def _shared_processors() -> list:
    return [
        structlog.contextvars.merge_contextvars,  # the request id, bound by the request middleware
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def _final_processors(*, fmt: str, exception_messages: bool) -> list:
    if fmt == "json":
        renderer = structlog.processors.JSONRenderer()
        # Development only (production drops messages): structured, and without local variables.
        exceptions = structlog.processors.ExceptionRenderer(ExceptionDictTransformer(show_locals=False))
    else:
        # Plain tracebacks: the rich one prints every frame's local variables.
        renderer = structlog.dev.ConsoleRenderer(colors=False, exception_formatter=structlog.dev.plain_traceback)
        exceptions = None  # the console renderer prints exc_info itself
    return [
        structlog.stdlib.ProcessorFormatter.remove_processors_meta,
        *([exceptions] if exception_messages and exceptions else []),
        *([] if exception_messages else [exception_without_message]),
        drop_personal_data,
        renderer,
    ]


def logging_config(*, fmt: str, level: str, exception_messages: bool) -> dict:
    """settings.LOGGING: every record, ours and the libraries', through structlog to stderr (journald keeps it)."""
    if fmt not in FORMATS:
        raise ValueError(f"PERISAI_LOG_FORMAT must be one of {FORMATS}, not {fmt!r}")
    configure_structlog()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processors": _final_processors(fmt=fmt, exception_messages=exception_messages),
                # For records from the standard library's loggers (Django, libraries, ours): their `extra` too.
                "foreign_pre_chain": [*_shared_processors(), structlog.stdlib.ExtraAdder()],
            }
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Named so that dictConfig drops the handlers Django gives it by default, mail_admins among them:
            # that one e-mails a 500's traceback, with whatever values it quotes. Its records reach the root's.
            "django": {"level": "INFO"},
            # Its 4xx warnings ("Not Found: <path>") quote whatever path a client made up; the access line has
            # every 4xx with its route. Errors (500s) are still logged here, with their traceback.
            "django.request": {"level": "ERROR"},
            "django.db.backends": {"level": "WARNING"},
            # runserver's own access lines quote the request line, query string included; ours replace them.
            "django.server": {"level": "CRITICAL", "propagate": True},
            "axes": {"level": "WARNING"},
            # WeasyPrint logs every layout step at INFO; only its warnings belong in the server log.
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
        },
    }


def configure_structlog() -> None:
    """structlog's own loggers (structlog.get_logger) hand their events to the standard library's, so both kinds
    end up in the one formatter above."""
    structlog.configure(
        processors=[
            *_shared_processors(),
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
