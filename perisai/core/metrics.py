"""Request latency for Prometheus. Labelled by the URL *pattern* (staf/kasus/<uuid:public_id>/), never the path:
paths carry opaque ids and the metric must not grow one series per case.

Under gunicorn each worker is its own process: with PROMETHEUS_MULTIPROC_DIR set (deploy/gunicorn.conf.py sets it)
prometheus_client writes each process's figures to files there and /metrics adds them up."""

from __future__ import annotations

import time

from prometheus_client import Histogram

REQUEST_SECONDS = Histogram(
    "perisai_http_request_duration_seconds",
    "Time to answer a request, by URL pattern, method and status class",
    ["route", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


class RequestMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = match.route if match is not None and match.route else "unmatched"
        method = request.method if request.method in METHODS else "other"
        REQUEST_SECONDS.labels(route[:100], method, f"{response.status_code // 100}xx").observe(
            time.perf_counter() - started
        )
        return response
