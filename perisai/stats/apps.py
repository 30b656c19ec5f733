from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "perisai.stats"
    label = "stats"
    verbose_name = "Statistik"
