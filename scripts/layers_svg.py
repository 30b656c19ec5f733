"""Draw the layers of pyproject.toml's import-linter contract as docs/layers.svg, so the picture in
docs/architecture.md is the rule CI checks, never a drawing that drifts from it.

    python scripts/layers_svg.py            # rewrite docs/layers.svg
    python scripts/layers_svg.py --check    # exit 1 if docs/layers.svg is out of date (run by the test suite)
"""

from __future__ import annotations

import sys
import tomllib
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "layers.svg"

# One line of plain words per app, shown in its box.
ROLES = {
    "portal": "staff home, notices, digest, demo",
    "api": "REST API (to come)",
    "stats": "dashboard, SIMFONI, public figures",
    "referrals": "referrals to partners",
    "outreach": "outreach operations",
    "meetings": "coordination meetings",
    "cases": "case files and workflow",
    "channels": "reports by WhatsApp and SMS",
    "reports": "reports and the inbox",
    "regions": "kecamatan, kelurahan",
    "privacy": "UU PDP registers",
    "publicinfo": "public information, leaflet",
    "accounts": "users, agencies, roles, admin",
    "core": "crypto, attachments, events",
    "audit": "hash-chained audit trail",
}

WIDTH, ROW, GAP, MARGIN = 760, 46, 10, 20


def layers() -> list[list[str]]:
    """Top layer first; each layer a list of independent app names."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    return [[name.strip().removeprefix("perisai.") for name in layer.split("|")] for layer in contract["layers"]]


def render() -> str:
    rows = layers()
    height = MARGIN * 2 + len(rows) * (ROW + GAP) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="title desc" '
        'font-family="DejaVu Sans, Arial, sans-serif">',
        "<title id='title'>Perisai's layers</title>",
        "<desc id='desc'>Each app imports only the apps in the rows below it; apps in one row do not import "
        "each other. Generated from pyproject.toml by scripts/layers_svg.py.</desc>",
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="{MARGIN}" y="{MARGIN + 12}" font-size="13" fill="#333">'
        "Imports point down only (checked by lint-imports in make lint)</text>",
    ]
    y = MARGIN + 30
    inner = WIDTH - 2 * MARGIN - 30
    for row in rows:
        box = (inner - GAP * (len(row) - 1)) / len(row)
        for index, app in enumerate(row):
            x = MARGIN + index * (box + GAP)
            parts += [
                f'<rect x="{x:.0f}" y="{y}" width="{box:.0f}" height="{ROW}" rx="6" fill="#eef4fb" stroke="#1f5f99"/>',
                f'<text x="{x + box / 2:.0f}" y="{y + 19}" font-size="14" font-weight="bold" text-anchor="middle" '
                f'fill="#0b2e4f">{escape(app)}</text>',
                f'<text x="{x + box / 2:.0f}" y="{y + 36}" font-size="11" text-anchor="middle" fill="#333">'
                f"{escape(ROLES.get(app, ''))}</text>",
            ]
        y += ROW + GAP
    arrow_x = WIDTH - MARGIN - 12
    parts += [
        f'<line x1="{arrow_x}" y1="{MARGIN + 34}" x2="{arrow_x}" y2="{y - GAP - 8}" '
        'stroke="#1f5f99" stroke-width="2"/>',
        f'<polygon points="{arrow_x - 6},{y - GAP - 10} {arrow_x + 6},{y - GAP - 10} {arrow_x},{y - GAP}" '
        'fill="#1f5f99"/>',
        "</svg>",
    ]
    return "\n".join(parts) + "\n"


def main() -> int:
    svg = render()
    if "--check" in sys.argv:
        if not OUTPUT.exists() or OUTPUT.read_text() != svg:
            print("docs/layers.svg is out of date: run python scripts/layers_svg.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(svg)
    return 0


if __name__ == "__main__":
    sys.exit(main())
