from django.urls import path

from perisai.outreach import views

app_name = "outreach"

urlpatterns = [
    path("", views.operation_list, name="list"),
    path("baru/", views.operation_create, name="create"),
    path("<uuid:public_id>/", views.operation_detail, name="detail"),
    path("<uuid:public_id>/anak/", views.operation_add_child, name="add_child"),
    path("<uuid:public_id>/anak/sekaligus/", views.operation_add_children, name="add_children"),
    path("<uuid:public_id>/kasus/", views.operation_cases, name="cases"),
    path("<uuid:public_id>/anak/<uuid:child_id>/laporan/", views.operation_child_report, name="child_report"),
]
