from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "perisai.reports"
    label = "reports"
    verbose_name = "Laporan"
