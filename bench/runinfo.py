"""Which code a benchmark measured: recorded with every result."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def source_state() -> str:
    """The commit measured, and whether application files differed from it (read-only git calls)."""
    git = shutil.which("git")
    if git is None:
        return "unknown revision"
    try:
        revision = subprocess.run(  # noqa: S603 - fixed, read-only git commands
            [git, "--no-optional-locks", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        changed = subprocess.run(  # noqa: S603
            [git, "--no-optional-locks", "status", "--porcelain", "--", "perisai", "config", "templates"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.splitlines()
    except (OSError, subprocess.SubprocessError):
        return "unknown revision"
    return f"commit {revision}" + (f" + {len(changed)} uncommitted application file(s)" if changed else "")
