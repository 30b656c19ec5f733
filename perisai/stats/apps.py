from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "perisai.stats"
    label = "stats"
    verbose_name = "Statistik"

    def ready(self) -> None:
        from perisai.stats import signals

        signals.connect()
