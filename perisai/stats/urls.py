from django.urls import path

from perisai.stats import views

app_name = "stats"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("simfoni.xlsx", views.simfoni_recap, name="simfoni_recap"),
    path("simfoni-per-kasus.xlsx", views.simfoni_listing, name="simfoni_listing"),
]
