from django.urls import path

from perisai.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("baru/", views.staff_intake, name="intake"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/kontak-pertama/", views.first_contact, name="first_contact"),
    path("<uuid:public_id>/pesan/", views.send_message, name="send_message"),
]
