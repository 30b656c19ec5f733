from django.urls import path

from perisai.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("baru/", views.meeting_create, name="create"),
    path("<uuid:public_id>/", views.meeting_detail, name="detail"),
    path("<uuid:public_id>/tindak-lanjut/", views.meeting_add_item, name="add_item"),
    path("<uuid:public_id>/tindak-lanjut/<uuid:item_id>/selesai/", views.meeting_item_done, name="item_done"),
]
