"""WSGI entry point for benchmarks: gunicorn bench.wsgi (the site plus the bare-insert baseline)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
application = get_wsgi_application()
