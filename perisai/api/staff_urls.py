from django.urls import path

from perisai.api import views

app_name = "api_tokens"

urlpatterns = [
    path("", views.token_list, name="list"),
    path("<uuid:public_id>/cabut/", views.token_revoke, name="revoke"),
]
