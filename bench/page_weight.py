"""The report form on a cheap phone on a slow connection (issue 17, item 2).

    .venv/bin/python bench/page_weight.py [--mode production|run|both] [--runs 3]

For each server configuration it opens /lapor/ in Debian's chromium, at 360 px, in a fresh browser context (a first
visit: nothing cached), and prints

- the bytes over the wire of the first visit, everything included (HTML, CSS, JavaScript, images, and each
  response's headers), as Chromium's network layer counts them (`encodedDataLength`), by resource;
- on an emulated slow 3G phone (400 kbit/s each way, 400 ms latency, CPU slowed 4x), the time from a click on
  "Kirim laporan" to the receipt's `load` event, with and without JavaScript, and when the page was ready.

Configurations:
- `production`: nginx (TLS, deploy/nginx/perisai.conf) -> gunicorn (deploy/gunicorn.conf.py) -> PostgreSQL, static
  files collected and compressed by whitenoise, PERISAI_ENV=production (tests/deploy/stack.py builds it);
- `run`: what `make run` serves: runserver, DEBUG on, SQLite, static files from the source folders.

Targets: first visit <= 30 KB; submit -> receipt < 3 s on slow 3G. A benchmark, not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.runinfo import source_state  # noqa: E402
from tests.deploy.stack import HOST, build_stack, free_port  # noqa: E402

PG = "postgres://postgres@127.0.0.1:5432"
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}
CPU_SLOWDOWN = 4
STORY = "Anak tetangga sering dipukul ayahnya dan disuruh mengemis di lampu merah sampai malam."


def keys():
    from bench.load import keys as load_keys

    return load_keys()


@contextmanager
def production_server():
    directory = Path(tempfile.mkdtemp(prefix="perisai-weight-"))
    name = f"perisai_weight_{os.getpid()}"
    subprocess.run(["psql", f"{PG}/postgres", "-qc", f'DROP DATABASE IF EXISTS "{name}"'], check=True)
    subprocess.run(["psql", f"{PG}/postgres", "-qc", f'CREATE DATABASE "{name}"'], check=True)
    limits = {"PERISAI_REPORTS_SOFT_LIMIT": "10000000", "PERISAI_REPORTS_HARD_LIMIT": "10000000"}
    stack = build_stack(directory, f"{PG}/{name}", keys(), **limits)
    try:
        for step in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
            done = stack.manage(*step, timeout=900)
            if done.returncode != 0:
                raise SystemExit(f"{step}: {done.stderr[-2000:]}")
        stack.start_all()
        stack.wait_until_healthy()
        # The site's name resolves to loopback for this browser only (--host-resolver-rules).
        yield f"https://{HOST}:{stack.https_port}", stack.https_port
    finally:
        stack.stop_all()
        subprocess.run(["psql", f"{PG}/postgres", "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], check=False)


@contextmanager
def run_server():
    """`make run`'s server: runserver with DEBUG on SQLite, in a throwaway data folder."""
    directory = Path(tempfile.mkdtemp(prefix="perisai-run-"))
    port = free_port()
    environment = {
        **os.environ,
        "PERISAI_VAR_DIR": str(directory),
        "PERISAI_SITE_URL": f"http://127.0.0.1:{port}",
        "PERISAI_REPORTS_SOFT_LIMIT": "10000000",
        "PERISAI_REPORTS_HARD_LIMIT": "10000000",
    }
    environment.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=environment, check=True)
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        import urllib.request

        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/livez", timeout=2)  # nosec B310
                break
            except OSError:
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}", None
    finally:
        server.terminate()
        server.wait(timeout=30)


def first_visit(browser, base: str) -> tuple[int, list[tuple[str, int]]]:
    """Bytes over the wire for a first visit of /lapor/ (fresh context, nothing cached), by resource."""
    context = browser.new_context(ignore_https_errors=True, viewport={"width": 360, "height": 740})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    urls, sizes = {}, {}
    cdp.on("Network.requestWillBeSent", lambda event: urls.setdefault(event["requestId"], event["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda event: sizes.__setitem__(event["requestId"], event["encodedDataLength"]))
    page.goto(f"{base}/lapor/", wait_until="networkidle")
    page.wait_for_timeout(1500)  # anything started after the load (there should be nothing)
    context.close()
    resources = sorted(
        ((urls.get(rid, "?").split("/", 3)[-1], size) for rid, size in sizes.items()), key=lambda r: -r[1]
    )
    return sum(sizes.values()), resources


def submit_on_slow_phone(browser, base: str, *, javascript: bool) -> tuple[float, float]:
    """(seconds until the form was usable, seconds from the click on "Kirim laporan" to the receipt's load)."""
    context = browser.new_context(
        ignore_https_errors=True, viewport={"width": 360, "height": 740}, java_script_enabled=javascript
    )
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    started = time.monotonic()
    page.goto(f"{base}/lapor/", wait_until="load")
    ready = time.monotonic() - started
    page.get_by_label("Ya, anak dalam bahaya sekarang").check()
    page.get_by_label("Dipaksa bekerja, mengemis, mengamen, atau berjualan").check()
    page.get_by_label("Ceritakan dengan kata-kata Anda sendiri").fill(STORY)
    page.get_by_label("Kecamatan", exact=True).select_option(label="Jombang")
    page.get_by_label("Ya, saya melapor tanpa nama").check()
    clicked = time.monotonic()
    with page.expect_navigation(wait_until="load", timeout=60_000):
        page.get_by_role("button", name="Kirim laporan").click()
    took = time.monotonic() - clicked
    heading = page.get_by_role("heading", level=1).inner_text()
    context.close()
    if "Terima kasih" not in heading:
        raise SystemExit(f"no receipt: {heading!r}")
    return ready, took


def measure(name: str, server, runs: int) -> None:
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM_ARGS, find_chromium

    with server() as (base, https_port), sync_playwright() as playwright:
        args = list(CHROMIUM_ARGS)
        if https_port:
            args.append(f"--host-resolver-rules=MAP {HOST} 127.0.0.1")
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=args)
        first_visit(browser, base)  # warm the server (templates compiled, connections open)
        weights = [first_visit(browser, base) for _ in range(runs)]
        _total, resources = weights[-1]
        print(f"\n== {name}: {base}/lapor/ ==")
        print(f"first visit over the wire: {statistics.median(w[0] for w in weights) / 1024:.1f} KB "
              f"(median of {runs}; target <= 30 KB)")  # fmt: skip
        for path, size in resources:
            print(f"  {size / 1024:7.1f} KB  /{path[:90]}")
        for javascript in (True, False):
            timings = [submit_on_slow_phone(browser, base, javascript=javascript) for _ in range(runs)]
            ready = statistics.median(t[0] for t in timings)
            took = statistics.median(t[1] for t in timings)
            print(f"slow 3G, CPU /{CPU_SLOWDOWN}, JavaScript {'on ' if javascript else 'off'}: page loaded after "
                  f"{ready:.2f} s; submit -> receipt {took:.2f} s (median of {runs}: "
                  f"{', '.join(f'{t[1]:.2f}' for t in timings)}; target < 3 s)")  # fmt: skip
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["production", "run", "both"], default="both")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"source: {source_state()}")
    if args.mode in ("production", "both"):
        measure("production (nginx -> gunicorn -> PostgreSQL)", production_server, args.runs)
    if args.mode in ("run", "both"):
        measure("make run (runserver, DEBUG, SQLite)", run_server, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
