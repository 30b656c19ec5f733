from django.urls import path

from perisai.privacy import views

app_name = "privacy"

urlpatterns = [
    path("permintaan/", views.subject_request_list, name="subject_request_list"),
    path("permintaan/baru/", views.subject_request_create, name="subject_request_create"),
    path("permintaan/<uuid:public_id>/", views.subject_request_detail, name="subject_request_detail"),
    path("permintaan/<uuid:public_id>/lampiran/", views.subject_request_attach, name="subject_request_attach"),
    path("insiden/", views.breach_list, name="breach_list"),
    path("insiden/baru/", views.breach_create, name="breach_create"),
    path("insiden/<uuid:public_id>/", views.breach_detail, name="breach_detail"),
    path("insiden/<uuid:public_id>/surat/", views.breach_letter, name="breach_letter"),
]
