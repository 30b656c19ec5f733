from django.urls import path

from perisai.publicinfo import views

app_name = "publicinfo"

urlpatterns = [
    path("", views.page_list, name="list"),
    path("baru/", views.page_create, name="create"),
    path("<slug:slug>/", views.page_edit, name="edit"),
    path("<slug:slug>/riwayat/", views.page_history, name="history"),
    path("<slug:slug>/riwayat/<int:history_id>/", views.page_version, name="version"),
]
