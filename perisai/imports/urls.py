from django.urls import path

from perisai.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("periksa/", views.check, name="check"),
]
