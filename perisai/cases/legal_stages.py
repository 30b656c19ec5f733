"""The legal-stage list (administrators edit it in the admin) as choices and labels; the cached rows are read by
LegalStageOption.objects (models.LegalStageOptions)."""

from __future__ import annotations

from django.core.cache import cache

from perisai.cases.models import LegalStageOption

__all__ = ["CACHE_KEY", "cache", "is_valid", "label_for", "stage_choices"]

CACHE_KEY = LegalStageOption.objects.CACHE_KEY


def stage_choices(*, current: str = "", include_inactive: bool = False) -> list[tuple[str, str]]:
    """Active stages in the office's order, plus `current` if it was deactivated since it was chosen."""
    return [
        (code, LegalStageOption.objects.display(code, label))
        for code, label, active in LegalStageOption.objects.rows()
        if active or include_inactive or (current and code == current)
    ]


def label_for(code: str) -> str:
    return LegalStageOption.objects.label_for(code)


def is_valid(code: str) -> bool:
    return code in {known for known, _label, _active in LegalStageOption.objects.rows()}
