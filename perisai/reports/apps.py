from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "perisai.reports"
    label = "reports"
    verbose_name = "Laporan"

    def ready(self):
        from perisai.core import attachment_owners
        from perisai.reports.policies import report_policy

        attachment_owners.register(report_policy)
