"""The map in docs/architecture.md stays true: every app is in the checked layers, INSTALLED_APPS follows them
(the portal seeds demo data in that order), and the picture is the contract."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def layers() -> list[set[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    return [{name.strip() for name in layer.split("|")} for layer in contract["layers"]]


def test_every_app_is_in_the_layers_contract():
    apps = {f"perisai.{path.parent.name}" for path in (ROOT / "perisai").glob("*/__init__.py")}
    assert apps == set().union(*layers())


def test_installed_apps_follow_the_layers_lowest_first():
    rank = {app: index for index, layer in enumerate(reversed(layers())) for app in layer}
    installed = [app for app in settings.INSTALLED_APPS if app in rank]  # not the admin's AppConfig path
    assert [rank[app] for app in installed] == sorted(rank[app] for app in installed), installed


def test_the_picture_of_the_layers_is_the_contract():
    check = subprocess.run(
        [sys.executable, "scripts/layers_svg.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
