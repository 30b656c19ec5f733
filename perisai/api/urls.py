"""/api/v1/: every view of the API authenticates by token or is public, so the site-wide login requirement and
second-factor prompt (meant for browser sessions) do not apply to it."""

from __future__ import annotations

from perisai.api.api import api

patterns, app_name, namespace = api.urls
for pattern in patterns:
    pattern.callback.login_required = False

urlpatterns = patterns
