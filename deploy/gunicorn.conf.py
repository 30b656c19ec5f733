"""gunicorn for Perisai, behind nginx (deploy/nginx/perisai.conf):
    gunicorn -c deploy/gunicorn.conf.py config.wsgi
Every value can be overridden from the environment (/etc/perisai/perisai.env), so this file stays as shipped.

Worker class: gthread. nginx buffers slow clients either way; threads let one process keep answering /healthz and
short pages while another request of the same process waits on PostgreSQL or renders a PDF. The load run through
this file is in docs/benchmarks.md: at 60 reporters + 10 staff the two classes measured alike (report sends 55-65 ms
p50), so the choice rests on the reason above."""

import logging
import multiprocessing
import os
import re
import shutil
from pathlib import Path

bind = os.environ.get("PERISAI_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("PERISAI_WEB_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = os.environ.get("PERISAI_WEB_WORKER_CLASS", "gthread")
threads = int(os.environ.get("PERISAI_WEB_THREADS", "4"))
# The slowest legitimate request (a year's statistics PDF, an import preview of 5,000 rows) takes a few seconds;
# nginx gives up after 60 s (proxy_read_timeout), so gunicorn never works longer for nobody.
timeout = int(os.environ.get("PERISAI_WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then: a long-lived Python process only grows (WeasyPrint, Pillow caches).
max_requests = 2000
max_requests_jitter = 200
limit_request_line = 8190
limit_request_fields = 100
# Only nginx on this machine may say the request came over HTTPS; Perisai reads X-Forwarded-For itself
# (PERISAI_TRUSTED_PROXIES), gunicorn's own forwarded handling is left at loopback.
forwarded_allow_ips = "127.0.0.1,::1"
# Perisai logs one structured line per request (no query strings, which can carry search terms); gunicorn's
# access log would write the raw URL.
accesslog = None
errorlog = "-"

# Prometheus: each worker process writes its request figures to files here; /metrics adds them up.
_metrics_dir = Path(os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", "/run/perisai/prometheus"))


_QUERY_STRING = re.compile(r"\?[^\s\"']*")


class NoQueryStrings(logging.Filter):
    """gunicorn's own error lines quote the request's URI ("Error handling request /staf/...?q=<a child's name>").
    The query string goes; the path stays, enough to find the view."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "?" in message:
            record.msg, record.args = _QUERY_STRING.sub("?[...]", message), ()
        return True


def on_starting(server):
    # Figures of a previous run's processes would be added to this run's.
    shutil.rmtree(_metrics_dir, ignore_errors=True)
    _metrics_dir.mkdir(parents=True, exist_ok=True)
    # On the logger, not a handler: it stays when gunicorn reopens its log files, and the forked workers inherit it.
    server.log.error_log.addFilter(NoQueryStrings())


def post_worker_init(worker):
    from perisai.core.health import warm_up, web_heartbeat_start

    warm_up()
    web_heartbeat_start()


def worker_exit(server, worker):
    from perisai.core.health import web_heartbeat_stop

    web_heartbeat_stop()


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
