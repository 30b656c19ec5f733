from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "perisai.reports"
    label = "reports"
    verbose_name = "Laporan"

    def ready(self):
        # Imported here, not at the top: an AppConfig module is loaded before the models these modules use.
        from perisai.core import attachment_owners
        from perisai.reports import events
        from perisai.reports.policies import report_policy

        attachment_owners.register(report_policy)
        events.announce_model_writes()
