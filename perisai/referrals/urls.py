from django.urls import path

from perisai.referrals import coordination_views, views

app_name = "referrals"

urlpatterns = [
    path("", views.referral_list, name="list"),
    path("baru/<uuid:case_id>/", views.referral_create, name="create"),
    path("waktu-respons/", views.response_times, name="response_times"),
    path("ke-kantor/", coordination_views.refer_to_office, name="refer_in"),
    path("operasi/", coordination_views.operation_list, name="operation_list"),
    path("operasi/baru/", coordination_views.operation_create, name="operation_create"),
    path("operasi/<uuid:public_id>/", coordination_views.operation_detail, name="operation_detail"),
    path("operasi/<uuid:public_id>/anak/", coordination_views.operation_add_child, name="operation_add_child"),
    path(
        "operasi/<uuid:public_id>/anak/<uuid:child_id>/laporan/",
        coordination_views.operation_child_report,
        name="operation_child_report",
    ),
    path("rapat/", coordination_views.meeting_list, name="meeting_list"),
    path("rapat/baru/", coordination_views.meeting_create, name="meeting_create"),
    path("rapat/<uuid:public_id>/", coordination_views.meeting_detail, name="meeting_detail"),
    path("rapat/<uuid:public_id>/tindak-lanjut/", coordination_views.meeting_add_item, name="meeting_add_item"),
    path(
        "rapat/<uuid:public_id>/tindak-lanjut/<uuid:item_id>/selesai/",
        coordination_views.meeting_item_done,
        name="meeting_item_done",
    ),
    path("<uuid:public_id>/", views.referral_detail, name="detail"),
    path("<uuid:public_id>/terima/", views.accept, name="accept"),
    path("<uuid:public_id>/tolak/", views.decline, name="decline"),
    path("<uuid:public_id>/cabut/", views.revoke, name="revoke"),
    path("<uuid:public_id>/pesan/", views.message, name="message"),
    path("<uuid:public_id>/tindakan/", views.record_action, name="action"),
    path("<uuid:public_id>/selesai/", views.complete, name="complete"),
    path("<uuid:public_id>/dokumen/<uuid:document_id>/", views.document, name="document"),
]
