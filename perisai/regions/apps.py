from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "perisai.regions"
    label = "regions"
    verbose_name = "Wilayah"
