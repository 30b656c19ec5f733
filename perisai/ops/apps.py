from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running Perisai on a server: the scheduler, backup and restore, metrics. Above the portal, because its jobs
    call every app's work (the digest, retention, the audit check); no app imports it."""

    name = "perisai.ops"
    label = "ops"
    verbose_name = "Operasional server"
