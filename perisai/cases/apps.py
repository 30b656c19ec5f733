from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "perisai.cases"
    label = "cases"
    verbose_name = "Kasus"

    def ready(self):
        # Imported here, not at the top: an AppConfig module is loaded before the models these modules use.
        from perisai.cases import events
        from perisai.cases.policies import case_policy
        from perisai.core import attachment_owners

        attachment_owners.register(case_policy)  # documents: visum, BAP, letters
        events.announce_model_writes()
