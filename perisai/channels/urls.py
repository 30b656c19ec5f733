from django.urls import path

from perisai.channels import views

app_name = "channels"

urlpatterns = [
    path("whatsapp/", views.whatsapp, name="whatsapp"),
    path("sms/", views.sms, name="sms"),
]
