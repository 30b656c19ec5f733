from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "perisai.outreach"
    label = "outreach"
    verbose_name = "Operasi penjangkauan"

    def ready(self):
        # Imported here, not at the top: an AppConfig module is loaded before the models these modules use.
        from perisai.cases.events import case_anonymised
        from perisai.outreach import services

        case_anonymised.subscribe(services.outreach_children_anonymise)
