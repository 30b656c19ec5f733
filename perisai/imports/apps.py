from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "perisai.imports"
    label = "imports"
    verbose_name = "Impor data lama"
