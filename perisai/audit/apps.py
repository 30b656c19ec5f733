from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "perisai.audit"
    label = "audit"
    verbose_name = "Jejak audit"

    def ready(self):
        from perisai.audit import signals  # noqa: F401 - connects the receivers
