from django.urls import path

from perisai.referrals import refer_in_views, views

app_name = "referrals"

urlpatterns = [
    path("", views.referral_list, name="list"),
    path("baru/<uuid:case_id>/", views.referral_create, name="create"),
    path("waktu-respons/", views.response_times, name="response_times"),
    path("ke-kantor/", refer_in_views.refer_to_office, name="refer_in"),
    path("<uuid:public_id>/", views.referral_detail, name="detail"),
    path("<uuid:public_id>/terima/", views.accept, name="accept"),
    path("<uuid:public_id>/tolak/", views.decline, name="decline"),
    path("<uuid:public_id>/cabut/", views.revoke, name="revoke"),
    path("<uuid:public_id>/pesan/", views.message, name="message"),
    path("<uuid:public_id>/tindakan/", views.record_action, name="action"),
    path("<uuid:public_id>/selesai/", views.complete, name="complete"),
    path("<uuid:public_id>/dokumen/<uuid:document_id>/", views.document, name="document"),
]
