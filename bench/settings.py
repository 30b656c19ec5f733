"""Settings for benchmarks only: the real settings plus a URLconf with the bare-insert baseline view.

Never used in production; the production URLconf (config.urls) stays untouched.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
WSGI_APPLICATION = "bench.wsgi.application"
