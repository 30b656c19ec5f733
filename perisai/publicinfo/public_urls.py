from django.urls import path

from perisai.publicinfo import public_views

app_name = "publicinfo_public"

urlpatterns = [
    path("", public_views.index, name="index"),
    # Before the pages: a slug has no dot, but the leaflet's address should never depend on that.
    path("selebaran.pdf", public_views.leaflet_pdf, name="leaflet"),
    path("<slug:slug>/", public_views.detail, name="page"),
]
