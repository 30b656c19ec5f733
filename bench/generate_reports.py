"""Fill a database with N synthetic reports through the real service (perisai.reports.services.report_submit).

    .venv/bin/python bench/generate_reports.py --count 10000 [--seed 1] [--days 365]

Uses DJANGO_SETTINGS_MODULE (default bench.settings) and so the database that DATABASE_URL /
PERISAI_VAR_DIR point at. Every report is clearly fake (see bench/synthetic.py) and goes through the same
service as the public form (actor=None), so it is encrypted, indexed and audited like a real one.
Refuses to run with PERISAI_ENV=production: synthetic reports in a live inbox would waste staff time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import synthetic  # noqa: E402

BATCH = 500  # reports per outer transaction: far fewer fsyncs than one commit per report


def generate(count: int, *, seed: int = 1, days: int = 365, progress: bool = True) -> int:
    """Create `count` reports received over the last `days` days; returns how many were created."""
    from django.db import transaction
    from django.utils import timezone

    from perisai.regions.models import Region
    from perisai.reports.choices import STAFF_CHANNELS, Channel
    from perisai.reports.services import report_submit

    rng = synthetic._rng(seed)
    pairs = synthetic.load_regions()
    regions = {region.code: region for region in Region.objects.filter(code__startswith="36.72")}
    missing = {code for pair in pairs for code in pair} - set(regions)
    if missing:
        raise SystemExit(f"regions missing from the database (run migrate first): {sorted(missing)[:5]} ...")
    staff_channels = [value for value, _label in STAFF_CHANNELS]
    now = timezone.now()
    created = 0
    started = time.monotonic()
    for batch_start in range(0, count, BATCH):
        with transaction.atomic():
            for n in range(batch_start, min(batch_start + BATCH, count)):
                values = synthetic.report_values(rng, n, pairs)
                values["kecamatan"] = regions[values["kecamatan"]]
                values["kelurahan"] = regions[values["kelurahan"]]
                web = rng.random() < 0.85
                reasons = ["proof_of_work"] if web and rng.random() < 0.1 else []
                submission = report_submit(
                    actor=None,
                    fields=values,
                    token=str(uuid.uuid4()),
                    channel=Channel.WEB if web else rng.choice(staff_channels),
                    received_at=now - dt.timedelta(seconds=rng.randint(0, days * 86_400)),
                    review_reasons=reasons,
                )
                created += submission.created
        if progress:
            done = min(batch_start + BATCH, count)
            rate = done / max(time.monotonic() - started, 1e-9)
            print(f"  generated {done}/{count} reports ({rate:.0f}/s)", file=sys.stderr, flush=True)
    return created


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, required=True, help="number of reports to create")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same reports)")
    parser.add_argument("--days", type=int, default=365, help="spread received_at over this many past days")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("--count must be >= 0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.conf import settings

    if settings.PRODUCTION:
        print("Refusing to add synthetic reports to a production database.", file=sys.stderr)
        return 2
    created = generate(args.count, seed=args.seed, days=args.days)
    print(f"created {created} synthetic reports")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
