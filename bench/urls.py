"""The site's own URLs, plus the benchmark baseline under /bench/ (bench.settings only)."""

from django.urls import path

from bench.views import bare_insert
from config.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path("bench/bare-insert/", bare_insert, name="bench_bare_insert"),
    *site_urlpatterns,
]
