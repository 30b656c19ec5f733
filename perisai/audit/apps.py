from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "perisai.audit"
    label = "audit"
    verbose_name = "Jejak audit"

    def ready(self):
        # Imported here, not at the top: an AppConfig module is loaded before the models the receivers use.
        from perisai.audit import signals  # noqa: F401 - connects the receivers
