"""Who may see how the server runs. Administrators only: the page shows no child, but it shows when the office's
systems fail, which is nobody else's business."""

from __future__ import annotations

from perisai.accounts.policies import is_administrator


def can_view_background(user) -> bool:
    return is_administrator(user)


def can_manage_holidays(user) -> bool:
    """The office calendar moves every deadline and what each reporter is promised: administrators keep it."""
    return is_administrator(user)
