"""The site's own URLs, plus the benchmark baselines under /bench/ (bench.settings only)."""

from django.urls import path

from bench.views import bare_insert, plain_form
from config.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path("bench/bare-insert/", bare_insert, name="bench_bare_insert"),
    path("bench/plain-form/", plain_form, name="bench_plain_form"),
    *site_urlpatterns,
]
