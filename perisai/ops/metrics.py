"""/metrics for Prometheus: request latency (perisai.core.metrics, summed across gunicorn workers), the task
queue and the background processes, free disk, and each app's own figures (reports received, overdue deadlines:
`metrics(now)` in its contributions.py). Counts and seconds only: no label names a person, a case or a place."""

from __future__ import annotations

import os

from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks_db.models import DBTaskResult
from prometheus_client import CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from perisai.core import health, replica
from perisai.core.contributions import Metric
from perisai.core.metrics import REQUEST_SECONDS
from perisai.core.models import ProcessHeartbeat
from perisai.core.policies import may_read_server_figures
from perisai.portal.registry import contributions


def server_figures(now) -> list[Metric]:
    by_status = dict(DBTaskResult.objects.order_by().values_list("status").annotate(n=Count("pk")))
    beats = [
        ({"kind": kind}, float(age))
        for kind in (ProcessHeartbeat.Kind.WORKER, ProcessHeartbeat.Kind.SCHEDULER)
        if (age := health.seconds_since_beat(kind, now)) is not None
    ]
    figures = [
        Metric("perisai_tasks", "Background tasks by status", "gauge",
               [({"status": status}, by_status.get(status, 0)) for status in ("READY", "RUNNING", "FAILED")]),
        Metric("perisai_tasks_ready_now", "Tasks due and waiting for a worker", "gauge",
               [({}, DBTaskResult.objects.ready().count())]),
        Metric("perisai_oldest_queued_task_seconds", "How long the oldest due task has waited", "gauge",
               [({}, health.oldest_queued_seconds(now) or 0)]),
        Metric("perisai_heartbeat_age_seconds", "Seconds since the newest worker / scheduler heartbeat", "gauge",
               beats),
        Metric("perisai_disk_free_megabytes", "Least free space where Perisai writes", "gauge",
               [({}, health.disk_free_mb() or 0)]),
    ]  # fmt: skip
    if replica.configured():
        # No sample while the replica does not answer: "absent" is the alert for that, the age for the lag.
        lag = replica.lag_seconds()
        figures.append(Metric("perisai_replica_lag_seconds", "How old the read replica's copy is (0: up to date)",
                              "gauge", [({}, lag)] if lag is not None else []))  # fmt: skip
    return figures


class DatabaseCollector:
    """Read at scrape time from the database, so every app server reports the same, exact figures."""

    def collect(self):
        now = timezone.now()
        figures = server_figures(now)
        for module in contributions():
            if hasattr(module, "metrics"):
                figures.extend(module.metrics(now))
        for metric in figures:
            family_class = CounterMetricFamily if metric.kind == "counter" else GaugeMetricFamily
            name = metric.name.removesuffix("_total") if metric.kind == "counter" else metric.name
            labels = sorted(metric.samples[0][0]) if metric.samples else []
            family = family_class(name, metric.help, labels=labels)
            for sample_labels, value in metric.samples:
                family.add_metric([str(sample_labels[key]) for key in labels], value)
            yield family


def registry() -> CollectorRegistry:
    scrape = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(scrape)  # every gunicorn worker's request figures, added up
    else:
        scrape.register(REQUEST_SECONDS)  # one process (runserver, tests): its own figures
    scrape.register(DatabaseCollector())
    return scrape


@login_not_required
@never_cache
@require_safe
def metrics_view(request):
    """The server itself (loopback) or a monitor with PERISAI_METRICS_TOKEN; anyone else: not found."""
    if not may_read_server_figures(request):
        raise Http404
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
