from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "perisai.api"
    label = "api"
    verbose_name = "API"
