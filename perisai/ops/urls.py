from django.urls import path

from perisai.ops import views

app_name = "ops"

urlpatterns = [
    path("latar/", views.background, name="background"),
]
