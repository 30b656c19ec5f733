from django.urls import path

from perisai.prevention import views

app_name = "prevention"

urlpatterns = [
    path("", views.activity_list, name="activities"),
    path("kegiatan/baru/", views.activity_create, name="activity_create"),
    path("kegiatan/<uuid:public_id>/", views.activity_detail, name="activity"),
    path("kegiatan/<uuid:public_id>/ubah/", views.activity_edit, name="activity_edit"),
    path("kegiatan/<uuid:public_id>/materi/", views.material_add, name="material_add"),
    path("kegiatan/<uuid:public_id>/materi/<uuid:material_id>/hapus/", views.material_remove, name="material_remove"),
    path("patbm/", views.group_list, name="groups"),
    path("patbm/baru/", views.group_create, name="group_create"),
    path("patbm/<uuid:public_id>/", views.group_detail, name="group"),
    path("patbm/<uuid:public_id>/ubah/", views.group_edit, name="group_edit"),
    path("patbm/<uuid:public_id>/anggota/", views.member_add, name="member_add"),
    path("patbm/<uuid:public_id>/anggota/<uuid:member_id>/", views.member_edit, name="member_edit"),
    path("patbm/<uuid:public_id>/laporan/", views.group_report, name="group_report"),
]
