"""Finds what each installed app contributes (perisai.core.contributions) and composes it."""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.utils.module_loading import module_has_submodule

from perisai.core.contributions import MenuLink

MODULE = "contributions"


@cache
def contributions() -> tuple[ModuleType, ...]:
    """Every installed app's `contributions` module, in INSTALLED_APPS (layer) order."""
    return tuple(
        import_module(f"{config.name}.{MODULE}")
        for config in apps.get_app_configs()
        if module_has_submodule(config.module, MODULE)
    )


def _providers(name: str) -> list:
    return [getattr(module, name) for module in contributions() if hasattr(module, name)]


def menu_links(user) -> list[MenuLink]:
    links = [link for provide in _providers("menu_links") for link in provide(user)]
    return sorted(links, key=lambda link: link.order)


def digest_lines(user, now: dt.datetime) -> list[str]:
    return [line for provide in _providers("digest_lines") for line in provide(user, now)]


def before_digest(now: dt.datetime) -> None:
    for send in _providers("before_digest"):
        send(now)


def demo_seeders() -> list[ModuleType]:
    return [module for module in contributions() if hasattr(module, "seed_demo")]
