from django.apps import AppConfig


class PreventionConfig(AppConfig):
    name = "perisai.prevention"
    label = "prevention"
    verbose_name = "Pencegahan dan PATBM"

    def ready(self):
        from perisai.core import attachment_owners
        from perisai.prevention.policies import activity_policy

        attachment_owners.register(activity_policy)  # materials: slides, leaflets, the attendance list
