"""The shape of what a domain app adds to the pages that span apps (perisai.portal composes them).

A domain app may have a `contributions.py` module with any of these functions; the portal finds it by that name
and calls it, so adding an app never edits core or the portal:

- `menu_links(user) -> list[MenuLink]`: the links on the staff home this person may follow;
- `digest_lines(user, now) -> list[str]`: lines of this person's daily e-mail digest (registration numbers,
  dates and agencies only: no child's identity in any e-mail, UU SPPA Pasal 19);
- `before_digest(now) -> None`: once-only notices to send before the digests are written;
- `seed_demo() -> list[str]` and `describe_demo() -> str`: the demo data of `manage.py seed_demo`;
- `metrics(now) -> list[Metric]`: figures for /metrics (perisai.ops.metrics) - counts only, never a label that
  could name a person or a place small enough to single a child out.

Apps are asked in INSTALLED_APPS order, which is the order of the layers (docs/architecture.md): demo data
of a lower app exists before a higher app's demo data uses it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Metric:
    """One Prometheus metric family, read from the database when /metrics is scraped (so every app server and
    gunicorn worker reports the same figure)."""

    name: str  # perisai_..., snake case; counters end in _total
    help: str
    kind: str  # "gauge" or "counter"
    samples: list[tuple[dict[str, str], float]]


@dataclass(frozen=True)
class MenuLink:
    label: str | Promise
    url: str
    order: int  # position in the staff home's menu, smallest first
