"""Reads of the public information pages: the published ones for everyone, all of them and their versions for
the administrators who keep them."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from perisai.publicinfo.models import InfoPage
from perisai.publicinfo.policies import info_page_policy


def published_pages() -> QuerySet[InfoPage]:
    return InfoPage.objects.filter(info_page_policy.public())


def published_page_get(*, slug: str) -> InfoPage:
    """A published page; a draft is as missing as a page that never existed (404)."""
    return get_object_or_404(published_pages(), slug=slug)


def page_list(*, actor) -> QuerySet[InfoPage]:
    return info_page_policy.visible_to(actor).select_related("updated_by")


def page_get(*, actor, slug: str) -> InfoPage:
    return get_object_or_404(page_list(actor=actor), slug=slug)


def page_versions(*, actor, page: InfoPage) -> QuerySet:
    """The page's saved versions, newest first, with who saved each (simple_history's rows)."""
    if not info_page_policy.can(actor, "history", page):
        return page.history.none()
    return page.history.select_related("history_user").order_by("-history_id")


def page_version_get(*, actor, page: InfoPage, history_id: int):
    return get_object_or_404(page_versions(actor=actor, page=page), history_id=history_id)
