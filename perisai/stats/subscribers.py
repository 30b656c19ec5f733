"""Statistics follow the other apps through their domain events (perisai.core.events): a write to a case, a row
of its file, a report or a referral marks the cases it touches for recounting (perisai.stats.tallies).

The marks are taken inside the writer's transaction, so a change and its mark commit or roll back together,
and the tallies stay exact. The owning apps announce every write made through their services and their
models' save and delete; what announces nothing (raw SQL, bulk inserts, data migrations, whose historical
models send no signals) must call tallies.mark_changed() itself or be followed by `manage.py stats_rebuild`.
"""

from __future__ import annotations

from perisai.cases.events import case_changed
from perisai.referrals.events import referral_changed
from perisai.reports.events import report_changed
from perisai.stats import tallies


def mark_cases(*, case_ids: list[int], **ids) -> None:
    tallies.mark_changed(case_ids)


def connect() -> None:
    """Called once, by StatsConfig.ready()."""
    for event in (case_changed, report_changed, referral_changed):
        event.subscribe(mark_cases)
