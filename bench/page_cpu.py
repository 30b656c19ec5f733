"""CPU per public page, in one process, against a bare view through the same middleware measured in the same run.

    .venv/bin/python bench/page_cpu.py [--requests 200] [--cold]

Each page is asked for through Django's test client (every middleware, the template, compression), on a throwaway
SQLite database, with DEBUG off as in production. The baseline is a view that returns "ok" through the same stack:
the fixed cost of a request. --cold empties the fragment cache before every request (the report form's fields
rendered afresh each time, as before they were cached). Prints ms of CPU per request and the ratio to the bare view.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = ["/lapor/", "/lapor/cek/", "/statistik/", "/informasi/", "/"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--cold", action="store_true", help="no fragment cache: render the form's fields each time")
    args = parser.parse_args()

    os.environ["PERISAI_VAR_DIR"] = tempfile.mkdtemp(prefix="perisai-page-cpu-")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.decorators import login_not_required
    from django.core.cache import caches
    from django.core.management import call_command
    from django.http import HttpResponse
    from django.test import Client, override_settings
    from django.urls import include, path

    from bench.runinfo import source_state

    call_command("migrate", verbosity=0)
    # The suite's settings loaded with DEBUG from the environment; the fragment cache is production's.
    caches_setting = {
        **settings.CACHES,
        "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bench"},
    }
    urls = types.ModuleType("bench_page_cpu_urls")
    # Django's own marker, as the public pages have it: the login rule lets it through.
    urls.urlpatterns = [
        path("bench-bare/", login_not_required(lambda request: HttpResponse("ok"))),
        path("", include("config.urls")),
    ]
    sys.modules[urls.__name__] = urls

    with override_settings(ROOT_URLCONF=urls.__name__, CACHES=caches_setting, DEBUG=False, ALLOWED_HOSTS=["localhost"]):
        client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_ENCODING="gzip")
        fragments = caches["fragments"]

        def cpu_ms(page: str) -> float:
            status = client.get(page).status_code
            if status != 200:
                raise SystemExit(f"{page}: HTTP {status}")
            spent = 0.0
            for _ in range(args.requests):
                if args.cold:
                    fragments.clear()
                started = time.process_time()
                client.get(page)
                spent += time.process_time() - started
            return 1000 * spent / args.requests

        bare = cpu_ms("/bench-bare/")
        print(f"source: {source_state()}")
        print(f"{args.requests} requests a page, {'cold' if args.cold else 'warm'} fragment cache")
        print(f"{'page':16} {'ms CPU':>8} {'x bare':>7}")
        print(f"{'bare view':16} {bare:8.2f} {1:7.1f}")
        for page in PAGES:
            spent = cpu_ms(page)
            print(f"{page:16} {spent:8.2f} {spent / bare:7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
