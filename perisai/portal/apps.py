from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The top layer: pages and jobs that span apps (staff home, notices, daily digest, demo data). It imports
    any app; no app imports it."""

    name = "perisai.portal"
    label = "portal"
    verbose_name = "Portal staf"
