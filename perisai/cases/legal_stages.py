"""The legal-stage list (administrators edit it in the admin) as choices and labels; the cached rows are read by
LegalStageOption.objects (models.LegalStageOptions)."""

from __future__ import annotations

from django.core.cache import cache

from perisai.cases.models import LegalStageOption

__all__ = ["CACHE_KEY", "cache", "stage_choices"]  # cache: the tests clear it as services do after commit

CACHE_KEY = LegalStageOption.objects.CACHE_KEY


def stage_choices(*, current: str = "", include_inactive: bool = False) -> list[tuple[str, str]]:
    """Active stages in the office's order, plus `current` if it was deactivated since it was chosen."""
    return [
        (code, LegalStageOption.objects.display(code, label))
        for code, label, active in LegalStageOption.objects.rows()
        if active or include_inactive or (current and code == current)
    ]
