from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "perisai.audit"
    label = "audit"
    verbose_name = "Jejak audit"
