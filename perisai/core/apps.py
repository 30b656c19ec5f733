from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "perisai.core"
    label = "core"
    verbose_name = "Inti"

    def ready(self) -> None:
        from perisai.core import checks  # noqa: F401 - registers the system checks
