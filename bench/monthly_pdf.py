"""The monthly PDF (/staf/dasbor/bulanan.pdf) on the demo data: the first download of a past month (WeasyPrint
renders it) against a repeat download of the same month (the figures and HTML are made again, the PDF comes from
the cache), in one process and one run, on a throwaway SQLite database.

    .venv/bin/python bench/monthly_pdf.py [--repeat 7] [--var-dir DIR]

cold      GET /staf/dasbor/bulanan.pdf?tahun=2023&bulan=M through Django's test Client, signed in as the demo
          analyst, with the cache emptied first: figures, HTML and the WeasyPrint rendering. THE BASELINE.
warm      the same request again: figures and HTML, the PDF from the cache (keyed by the HTML's hash).

Each figure is the median of --repeat runs, one month each (January to --repeat of 2023), after one unmeasured
run (WeasyPrint loads its fonts on first use). Target (issue #14): warm < 50 ms; printed as warm/cold too.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.case_list import make_client  # noqa: E402
from bench.runinfo import source_state  # noqa: E402

TARGET_MS = 50


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="months measured (January to this month of 2023) [7]")
    parser.add_argument("--var-dir", type=Path, default=None, help="where the throwaway database goes")
    args = parser.parse_args(argv)
    if not 1 <= args.repeat <= 11:
        parser.error("--repeat is a number of months of 2023, 1..11")
    var_dir = args.var_dir or Path(tempfile.mkdtemp(prefix="perisai-bench-monthly-"))
    var_dir.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PERISAI_ENV": "development",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            "PERISAI_VAR_DIR": str(var_dir),
            "PERISAI_MEDIA_ROOT": str(var_dir / "media"),
            "DATABASE_URL": f"sqlite:///{var_dir / 'bench-monthly.sqlite3'}",
        }
    )
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    from perisai.accounts.models import User

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    client = make_client(User.objects.get(email="analis@perisai.test"))

    def download(month: int) -> float:
        started = time.perf_counter()
        response = client.get("/staf/dasbor/bulanan.pdf", {"tahun": "2023", "bulan": str(month)})
        elapsed = time.perf_counter() - started
        if response.status_code != 200 or not response.content.startswith(b"%PDF"):
            raise RuntimeError(f"month {month}: {response.status_code}")
        return elapsed * 1000

    cache.clear()
    download(12)  # unmeasured: WeasyPrint's fonts
    cold, warm = [], []
    for month in range(1, args.repeat + 1):
        cache.clear()
        cold.append(download(month))
        warm.append(download(month))
    cold_ms, warm_ms = statistics.median(cold), statistics.median(warm)
    print(f"source: {source_state()}")
    print(f"months: {args.repeat} (2023), demo data, SQLite, load average before: {os.getloadavg()[0]:.2f}")
    print(f"cold (rendered)    median {cold_ms:8.1f} ms   runs {', '.join(f'{v:.0f}' for v in cold)}")
    print(f"warm (from cache)  median {warm_ms:8.1f} ms   runs {', '.join(f'{v:.1f}' for v in warm)}")
    verdict = "met" if warm_ms < TARGET_MS else "NOT met"
    print(f"warm/cold {warm_ms / cold_ms:.3f}; target warm < {TARGET_MS} ms: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
