"""The one rule for the public information pages' HTML: what administrators may write, and all that survives.

The body is cleaned when it is saved and again when it is shown. Saving clean text keeps the stored versions
readable; cleaning again on the way out means a row written by any other path (the admin, a restore of an old
version, a database edit, a future change to these rules) can never put script on a public page that a frightened
parent opens.
"""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe

# Enough to write a leaflet: paragraphs, two heading levels under the page's own h1, lists, emphasis, links and
# quotes. No images (nothing loaded from elsewhere, and no upload path to secure), no tables (they overflow a
# 360 px phone), no classes or styles (the site's CSP and stylesheet decide how things look).
ALLOWED_TAGS = frozenset({"p", "h2", "h3", "ul", "ol", "li", "strong", "em", "a", "br", "blockquote"})
ALLOWED_ATTRIBUTES = {"a": {"href"}}
# Relative links (to /lapor/) stay; absolute ones only to web pages, a phone number or an e-mail address.
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "tel", "mailto"})
# A page of the office must not hand the visitor's referrer or its window to the sites it links to.
LINK_REL = "noopener noreferrer"


def clean_html(html: str) -> str:
    """The HTML with every tag, attribute and link scheme outside the lists above removed (script and style
    with their content, comments too)."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()


def safe_html(html: str) -> SafeString:
    """Cleaned HTML that templates may show as it is: the only place this app marks text safe."""
    # nh3 has kept only the tags and links listed above.
    return mark_safe(clean_html(html))  # noqa: S308  # nosec B308 B703
