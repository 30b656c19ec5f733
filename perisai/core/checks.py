"""System checks for settings that are each valid alone but wrong together."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def proxy_without_trusted_hops(app_configs, **kwargs):
    """Behind a TLS proxy with no trusted proxy hop every client looks like the proxy (127.0.0.1): one person's
    thirty wrong PINs or reports would then lock or limit everyone."""
    if settings.PERISAI_BEHIND_TLS_PROXY and not settings.PERISAI_TRUSTED_PROXIES:
        return [
            Warning(
                "PERISAI_BEHIND_TLS_PROXY is on but PERISAI_TRUSTED_PROXIES is 0: every client will have the "
                "proxy's address, and the report, PIN and sign-in limits will count everyone together.",
                hint="Set PERISAI_TRUSTED_PROXIES=1 behind the shipped nginx (deploy/nginx/perisai.conf).",
                id="perisai.W001",
            )
        ]
    return []
