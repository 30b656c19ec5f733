from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "perisai.core"
    label = "core"
    verbose_name = "Inti"
