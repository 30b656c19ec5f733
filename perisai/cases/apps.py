from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "perisai.cases"
    label = "cases"
    verbose_name = "Kasus"
