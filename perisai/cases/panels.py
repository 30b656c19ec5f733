"""Sections other apps add to the case page. Cases never imports those apps: an app above cases registers its
panel in its AppConfig.ready() (e.g. the referrals of the case), and the case page renders what is registered,
in order. Each panel decides from its own policies what the actor may see; it receives a case the actor already
holds through the case selector."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from perisai.cases.models import Case


@dataclass(frozen=True)
class CasePanel:
    name: str
    template_name: str
    context: Callable[[object, Case], dict]  # (actor, case) -> the template's context
    order: int = 100


_PANELS: dict[str, CasePanel] = {}


def register(panel: CasePanel) -> None:
    _PANELS[panel.name] = panel  # by name: a repeated AppConfig.ready() replaces, never duplicates


def render_panels(request: HttpRequest, case: Case) -> list[SafeString]:
    panels = sorted(_PANELS.values(), key=lambda panel: panel.order)
    return [
        render_to_string(panel.template_name, {"case": case, **panel.context(request.user, case)}, request=request)
        for panel in panels
    ]
