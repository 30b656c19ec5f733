from django.apps import AppConfig


class PublicInfoConfig(AppConfig):
    name = "perisai.publicinfo"
    label = "publicinfo"
    verbose_name = "Informasi publik"
