from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "perisai.referrals"
    label = "referrals"
    verbose_name = "Rujukan"

    def ready(self):
        # Imported here, not at the top: an AppConfig module is loaded before the models these modules use.
        from perisai.cases.events import case_anonymised
        from perisai.referrals import events, services

        events.announce_model_writes()
        case_anonymised.subscribe(services.referrals_anonymise)
