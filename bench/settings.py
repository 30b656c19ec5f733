"""Settings for benchmarks only: the real settings plus a URLconf with the baseline views, and the `bench` app for
the plain-Django baseline's model (bench.models.PlainReport, created by bench.views.ensure_table, no migration).

Never used in production; the production URLconf (config.urls) and INSTALLED_APPS stay untouched.
"""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"
WSGI_APPLICATION = "bench.wsgi.application"
