from django.urls import path

from perisai.accounts import views

app_name = "accounts"

urlpatterns = [
    path("keluar-semua/", views.end_all_sessions, name="end_sessions"),
    path("keamanan/", views.security, name="security"),
]
