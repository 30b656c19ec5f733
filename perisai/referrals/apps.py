from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "perisai.referrals"
    label = "referrals"
    verbose_name = "Rujukan"

    def ready(self):
        # Imported here, not at the top: an AppConfig module is loaded before the models these modules use.
        from perisai.cases import panels
        from perisai.cases.events import case_anonymised
        from perisai.referrals import events, services
        from perisai.referrals.panels import CASE_PANEL

        events.announce_model_writes()
        case_anonymised.subscribe(services.referrals_anonymise)
        panels.register(CASE_PANEL)
