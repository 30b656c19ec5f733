from django.urls import path

from perisai.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("<uuid:public_id>/", views.case_detail, name="detail"),
    path("<uuid:public_id>/langkah/", views.transition, name="transition"),
    path("<uuid:public_id>/persetujuan/", views.request_approval, name="request_approval"),
    path("<uuid:public_id>/persetujuan/<uuid:approval_id>/", views.decide_approval, name="decide_approval"),
    path("<uuid:public_id>/pendamping/", views.assign, name="assign"),
    path("<uuid:public_id>/dasar-data/", views.lawful_basis, name="lawful_basis"),
    path("triase/<uuid:public_id>/", views.triage, name="triage"),
]
