from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "perisai.meetings"
    label = "meetings"
    verbose_name = "Rapat koordinasi"
