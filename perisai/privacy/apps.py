from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "perisai.privacy"
    label = "privacy"
    verbose_name = "Pelindungan data pribadi"

    def ready(self):
        # Imported here, not at the top: an AppConfig module is loaded before the models these modules use.
        from perisai.core import attachment_owners
        from perisai.privacy.policies import subject_request_policy

        attachment_owners.register(subject_request_policy)
