"""Steps the browser journeys share: press a button, follow a link, find a card of a page."""

from __future__ import annotations


def press(p, name: str, *, within=None, status: int = 200) -> None:
    """Click a button that submits a form, and check the page it leads to."""
    scope = within if within is not None else p
    with p.navigation(status=status):
        scope.get_by_role("button", name=name, exact=True).click()


def follow(p, name: str, *, within=None, status: int = 200) -> None:
    scope = within if within is not None else p
    with p.navigation(status=status):
        scope.get_by_role("link", name=name, exact=True).click()


def section(p, title: str):
    """A card of a page (<section aria-labelledby=...>): an ARIA region named by its heading."""
    return p.get_by_role("region", name=title, exact=True)
