from django.urls import path

from perisai.reports import public_views

app_name = "reports_public"

urlpatterns = [
    path("", public_views.report_form, name="form"),
    path("altcha/", public_views.altcha_challenge, name="altcha"),
    path("cek/", public_views.check, name="check"),
    path("cek/laporan/", public_views.status, name="status"),
    path("cek/keluar/", public_views.leave, name="leave"),
]
