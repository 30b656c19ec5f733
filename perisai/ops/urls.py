from django.urls import path

from perisai.ops import views

app_name = "ops"

urlpatterns = [
    path("latar/", views.background, name="background"),
    path("libur/", views.holidays, name="holidays"),
    path("libur/hapus/", views.holiday_remove, name="holiday_remove"),
]
