from django.urls import path

from perisai.stats import export_views, views

app_name = "stats"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("simfoni.xlsx", views.simfoni_recap, name="simfoni_recap"),
    path("bulanan.pdf", views.monthly_report, name="monthly_report"),
    path("simfoni-per-kasus.xlsx", views.simfoni_listing, name="simfoni_listing"),
    path("ekspor/", export_views.export_list, name="exports"),
    path("ekspor/<uuid:public_id>/", export_views.export_detail, name="export_detail"),
    path("ekspor/<uuid:public_id>/unduh/", export_views.export_download, name="export_download"),
]
