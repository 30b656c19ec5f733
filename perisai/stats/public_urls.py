from django.urls import path

from perisai.stats import views

app_name = "stats_public"

urlpatterns = [
    path("", views.public_page, name="page"),
    path("unduh.csv", views.public_csv, name="csv"),
]
