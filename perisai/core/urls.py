from django.urls import path

from perisai.core import views

app_name = "core"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("healthz", views.healthz, name="healthz"),
    path("livez", views.livez, name="livez"),
    path("staf/berkas/<uuid:public_id>/", views.attachment_download, name="attachment_download"),
]
