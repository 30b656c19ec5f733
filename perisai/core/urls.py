from django.urls import path

from perisai.core import views

app_name = "core"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("staf/", views.staff_home, name="staff_home"),
    path("healthz", views.healthz, name="healthz"),
]
