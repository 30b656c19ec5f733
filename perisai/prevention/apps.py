from django.apps import AppConfig


class PreventionConfig(AppConfig):
    name = "perisai.prevention"
    label = "prevention"
    verbose_name = "Pencegahan dan PATBM"
