from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "perisai.stats"
    label = "stats"
    verbose_name = "Statistik"

    def ready(self) -> None:
        # Imported here, not at the top: an AppConfig module is loaded before the models these modules use.
        from perisai.stats import subscribers, tasks

        subscribers.connect()
        tasks.connect()
