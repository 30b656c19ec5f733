"""The legal-stage list (administrators edit it in the admin) as choices and labels.

Read on many pages and from several processes: cached in the shared cache and cleared by the service that saves an
option (services.legal_stage_option_save). Built-in codes keep their translated label; stages added by the office
show what was typed."""

from __future__ import annotations

from django.core.cache import cache

from perisai.core.simfoni import LegalStage

CACHE_KEY = "cases:legal-stages:v1"


def _rows() -> list[tuple[str, str, bool]]:
    rows = cache.get(CACHE_KEY)
    if rows is None:
        from perisai.cases.models import LegalStageOption

        rows = list(LegalStageOption.objects.order_by("order", "label").values_list("code", "label", "is_active"))
        cache.set(CACHE_KEY, rows, 300)
    return rows


def _label(code: str, stored: str) -> str:
    return str(LegalStage(code).label) if code in LegalStage.values else stored


def stage_choices(*, current: str = "", include_inactive: bool = False) -> list[tuple[str, str]]:
    """Active stages in the office's order, plus `current` if it was deactivated since it was chosen."""
    return [
        (code, _label(code, label))
        for code, label, active in _rows()
        if active or include_inactive or (current and code == current)
    ]


def label_for(code: str) -> str:
    if not code:
        return ""
    for known, label, _active in _rows():
        if known == code:
            return _label(known, label)
    return code


def is_valid(code: str) -> bool:
    return code in {known for known, _label_, _active in _rows()}
