"""Writes to the public information pages. Each save is one version (simple_history) and one audit event."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404

from perisai.audit.choices import AuditAction
from perisai.audit.services import audit_record
from perisai.publicinfo.models import InfoPage
from perisai.publicinfo.policies import info_page_policy
from perisai.publicinfo.sanitise import clean_html

EDITABLE_FIELDS = ("title", "summary", "body", "order", "is_published")


class StaleEdit(Exception):
    """Someone saved the page after this editor opened it: saving would silently undo their change."""


def latest_version_id(page: InfoPage) -> int | None:
    # The id, not the date: ids only grow, while a clock may be set back (or frozen in a test) between two saves.
    return page.history.order_by("-history_id").values_list("history_id", flat=True).first()


@transaction.atomic
def page_create(*, actor, slug: str, title: str, summary: str, body: str, order: int, is_published: bool) -> InfoPage:
    if not info_page_policy.can(actor, "create"):
        raise Http404
    page = InfoPage(slug=slug, updated_by=actor)
    _fill(page, title=title, summary=summary, body=body, order=order, is_published=is_published)
    return _save(actor, page, AuditAction.INFO_PAGE_SAVED)


@transaction.atomic
def page_update(
    *,
    actor,
    page: InfoPage,
    seen_version: int | None,
    title: str,
    summary: str,
    body: str,
    order: int,
    is_published: bool,
) -> InfoPage:
    """Save an edit made on top of version `seen_version`; refuses (StaleEdit) if another was saved since."""
    page = InfoPage.objects.select_for_update().get(pk=page.pk)
    if not info_page_policy.can(actor, "edit", page):
        raise Http404
    if latest_version_id(page) != seen_version:
        raise StaleEdit(page.slug)
    _fill(page, title=title, summary=summary, body=body, order=order, is_published=is_published)
    return _save(actor, page, AuditAction.INFO_PAGE_SAVED)


@transaction.atomic
def page_restore(*, actor, page: InfoPage, history_id: int) -> InfoPage:
    """Make an old version the current text again. The restore is itself a new version: nothing is lost."""
    page = InfoPage.objects.select_for_update().get(pk=page.pk)
    if not info_page_policy.can(actor, "restore", page):
        raise Http404
    old = page.history.filter(history_id=history_id).first()
    if old is None:
        raise Http404
    _fill(page, **{name: getattr(old, name) for name in EDITABLE_FIELDS})
    return _save(actor, page, AuditAction.INFO_PAGE_RESTORED, restored_from=history_id)


def _fill(page: InfoPage, *, title, summary, body, order, is_published) -> None:
    page.title = title.strip()
    page.summary = summary.strip()
    page.body = clean_html(body)
    page.order = order
    page.is_published = is_published


def _save(actor, page: InfoPage, action: AuditAction, *, restored_from: int | None = None) -> InfoPage:
    page.updated_by = actor
    page.full_clean()
    # simple_history reads these from the instance: the version names its author even outside a request, and a
    # restore names the version it brought back (the history page shows it).
    page._history_user = actor
    page._change_reason = str(restored_from) if restored_from else ""
    page.save()
    extra = {"slug": page.slug, "published": page.is_published, "version": latest_version_id(page)}
    if restored_from:
        extra["restored_from"] = restored_from
    audit_record(actor=actor, action=action, obj=page, extra=extra)
    return page
