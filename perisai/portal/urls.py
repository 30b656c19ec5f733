from django.urls import path

from perisai.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.staff_home, name="staff_home"),
    path("notifikasi/", views.notification_list, name="notifications"),
    path("notifikasi/pengaturan/", views.notification_settings, name="notification_settings"),
    path("notifikasi/<uuid:public_id>/", views.notification_open, name="notification_open"),
]
