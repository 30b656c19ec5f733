"""Error reports to Sentry, only when SENTRY_DSN is set, and never with personal data in them.

Two layers. First the SDK is told not to collect: no user details, cookies, request bodies, query strings or
local variables, and only a few request headers (`init`). Then `before_send` rebuilds every event from what is
known to be safe, so that whatever a future integration or SDK version adds is dropped rather than sent:

- an exception keeps its type and, per stack frame, file, function and line (and the source line, which is our
  code); its message is replaced, since messages quote values (a validation error can hold a child's name, a
  database error the row that failed);
- the request keeps its method and the allowed headers; its URL and query string go (the route is the event's
  transaction, `staf/kasus/{public_id}/` style);
- the user keeps the account number and nothing else;
- breadcrumbs keep what kind of step and when, not their messages or data;
- a log-record event keeps the message's template (our code's text), not the values put into it.

Imported by config/settings.py: nothing here may import Django's models.
"""

from __future__ import annotations

import re
from typing import Any

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration

from perisai.core.logs import scrub_text

SCRUBBED = "[scrubbed]"
# Request headers that say nothing about the person: no cookies, no User-Agent (with the time, it picks one phone
# out of a few), no Referer (a URL), no X-Forwarded-For (an address).
SAFE_HEADERS = frozenset({"host", "content-type", "content-length", "accept", "accept-language", "x-request-id"})
SAFE_EVENT_KEYS = frozenset(
    {
        "event_id",
        "timestamp",
        "level",
        "platform",
        "logger",
        "server_name",
        "release",
        "environment",
        "dist",
        "sdk",
        "modules",
        "fingerprint",
        "type",
        "contexts",
        "tags",
    }
)
SAFE_FRAME_KEYS = frozenset(
    {
        "filename",
        "abs_path",
        "module",
        "function",
        "lineno",
        "colno",
        "in_app",
        "context_line",
        "pre_context",
        "post_context",
        "package",
        "platform",
    }
)
ROUTE = re.compile(r"/[\w/{}<>:.-]*|[\w.]+")
SAFE_CONTEXTS = frozenset({"runtime", "os", "device", "trace", "app"})
SAFE_BREADCRUMB_KEYS = frozenset({"type", "category", "level", "timestamp"})
SAFE_BREADCRUMB_DATA = frozenset({"method", "status_code", "reason"})
# Span attributes (only when tracing is switched on): the SDK's own bookkeeping and these few facts.
SAFE_SPAN_ATTRIBUTES = frozenset(
    {"http.request.method", "http.response.status_code", "http.route", "db.system", "db.system.name", "thread.name"}
)


def before_send(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """Sentry's before_send: a new event made of the safe parts of `event` (see the module's docstring)."""
    clean: dict[str, Any] = {key: value for key, value in event.items() if key in SAFE_EVENT_KEYS}
    transaction = event.get("transaction")
    if isinstance(transaction, str) and ROUTE.fullmatch(transaction):
        # A URL route or a view's dotted name. sentry-sdk 3.0 sometimes names the event after the last database
        # statement instead ("RELEASE SAVEPOINT ..."): SQL is left out, it could hold a value.
        clean["transaction"] = transaction
    if "contexts" in clean:
        clean["contexts"] = {name: value for name, value in event["contexts"].items() if name in SAFE_CONTEXTS}
    if "tags" in clean:
        clean["tags"] = {key: scrub_text(str(value))[:200] for key, value in event["tags"].items()}
    if "exception" in event:
        clean["exception"] = {"values": [_exception(value) for value in _values(event["exception"])]}
    if "threads" in event:
        clean["threads"] = {"values": [_thread(value) for value in _values(event["threads"])]}
    if "request" in event:
        clean["request"] = _request(event["request"])
    user_id = str((event.get("user") or {}).get("id", ""))
    if user_id.isdigit():
        clean["user"] = {"id": user_id}
    if "breadcrumbs" in event:
        clean["breadcrumbs"] = {"values": [_breadcrumb(crumb) for crumb in _values(event["breadcrumbs"])]}
    if "logentry" in event:
        # Our messages are %-templates with the values as parameters; the template is code, the values are data.
        template = (event["logentry"] or {}).get("message") or ""
        clean["logentry"] = {"message": scrub_text(str(template))[:300]}
    if "message" in event:
        clean["message"] = SCRUBBED
    return clean


def before_send_span(span: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """Only when PERISAI_SENTRY_TRACES_SAMPLE_RATE is above 0: a span keeps its name (a route or a query without
    its values) and the allowed attributes; URLs, query strings and anything else go."""
    attributes = span.get("attributes") or {}
    return {
        **span,
        "name": scrub_text(str(span.get("name", "")))[:200],
        "attributes": {
            key: value for key, value in attributes.items() if key.startswith("sentry.") or key in SAFE_SPAN_ATTRIBUTES
        },
    }


def _values(container: Any) -> list:
    if isinstance(container, dict):
        return [value for value in container.get("values") or [] if isinstance(value, dict)]
    if isinstance(container, list):
        return [value for value in container if isinstance(value, dict)]
    return []


def _stacktrace(stacktrace: Any) -> dict:
    frames = (stacktrace or {}).get("frames") or []
    return {"frames": [{k: v for k, v in frame.items() if k in SAFE_FRAME_KEYS} for frame in frames]}


def _exception(value: dict) -> dict:
    clean = {key: value[key] for key in ("type", "module") if key in value}
    clean["value"] = SCRUBBED
    if "stacktrace" in value:
        clean["stacktrace"] = _stacktrace(value["stacktrace"])
    mechanism = value.get("mechanism")
    if isinstance(mechanism, dict):
        clean["mechanism"] = {
            key: mechanism[key]
            for key in ("type", "handled", "exception_id", "parent_id", "is_exception_group", "source")
            if key in mechanism
        }
    return clean


def _thread(value: dict) -> dict:
    clean = {key: value[key] for key in ("id", "current", "crashed", "main") if key in value}
    if "stacktrace" in value:
        clean["stacktrace"] = _stacktrace(value["stacktrace"])
    return clean


def _request(request: Any) -> dict:
    if not isinstance(request, dict):
        return {}
    clean: dict[str, Any] = {}
    if isinstance(request.get("method"), str):
        clean["method"] = request["method"]
    headers = request.get("headers")
    if isinstance(headers, dict):
        clean["headers"] = {name: value for name, value in headers.items() if name.lower() in SAFE_HEADERS}
    return clean


def _breadcrumb(crumb: dict) -> dict:
    clean = {key: crumb[key] for key in SAFE_BREADCRUMB_KEYS if key in crumb}
    data = crumb.get("data")
    if isinstance(data, dict):
        kept = {key: data[key] for key in SAFE_BREADCRUMB_DATA if key in data}
        if kept:
            clean["data"] = kept
    return clean


def init(*, dsn: str, environment: str, release: str, traces_sample_rate: float = 0.0, **overrides) -> None:
    """Start the SDK (called by config/settings.py only when SENTRY_DSN is set). In sentry-sdk 3 what the SDK
    collects is `data_collection`: 2.x's `send_default_pii=False` is `user_info: False`, its
    `include_local_variables=False` is `stack_frame_variables: False`."""
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration()],
        traces_sample_rate=traces_sample_rate,
        max_request_body_size="never",
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "allowlist", "terms": sorted(SAFE_HEADERS)}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "database_query_data": False,
            "stack_frame_variables": False,
            "gen_ai": {"inputs": False, "outputs": False},
            "graphql": {"document": False, "variables": False},
            "mcp": {"inputs": False, "outputs": False},
        },
        before_send=before_send,
        before_send_span=before_send_span,
        # Sessions and client reports carry no personal data but are not needed either: send errors only.
        auto_session_tracking=False,
        send_client_reports=False,
        **overrides,
    )
