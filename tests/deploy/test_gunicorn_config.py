"""deploy/gunicorn.conf.py as gunicorn loads it: its error log never carries a query string, and each worker warms
up before it takes requests."""

from __future__ import annotations

import logging
import runpy
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"


def test_gunicorn_error_lines_lose_their_query_strings(monkeypatch, tmp_path, caplog):
    # The file sets PROMETHEUS_MULTIPROC_DIR if unset; here it is set, and put back after the test.
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "prometheus"))
    config = runpy.run_path(str(CONFIG))
    error_log = logging.getLogger("test.gunicorn.error")
    monkeypatch.setattr(error_log, "filters", [])
    config["on_starting"](SimpleNamespace(log=SimpleNamespace(error_log=error_log)))

    with caplog.at_level(logging.ERROR, logger="test.gunicorn.error"):
        error_log.error("Error handling request %s", "/staf/laporan/?q=Siti+Rahayu&page=2")
        error_log.error("Worker timeout (pid:%s)", 4242)
    assert [record.getMessage() for record in caplog.records] == [
        "Error handling request /staf/laporan/?[...]",
        "Worker timeout (pid:4242)",
    ]
    assert (tmp_path / "prometheus").is_dir()


def test_each_worker_warms_up_and_beats_before_taking_requests(monkeypatch, tmp_path):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "prometheus"))
    config = runpy.run_path(str(CONFIG))
    with (
        mock.patch("perisai.core.health.warm_up") as warm_up,
        mock.patch("perisai.core.health.web_heartbeat_start") as heartbeat,
    ):
        config["post_worker_init"](SimpleNamespace())
    warm_up.assert_called_once_with()
    heartbeat.assert_called_once_with()  # a restore sees this worker even when nothing probes /healthz
    with mock.patch("perisai.core.health.web_heartbeat_stop") as stop:
        config["worker_exit"](SimpleNamespace(), SimpleNamespace())
    stop.assert_called_once_with()
