"""Top-level URL map. Public pages opt out of the login requirement in their own views."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from perisai.ops.metrics import metrics_view

# The admin has no sign-in form of its own: everyone signs in through allauth, where the second
# factor, lockout and audit apply.
admin_login = login_not_required(RedirectView.as_view(pattern_name="account_login", query_string=True))

# An unavailable database or a full disk answers 503 with the maintenance page (or the report form, filled in as
# typed) instead of a bare 500; every other error still gets the plain 500 page.
handler500 = "perisai.core.outage.server_error"
# The same when the session cannot be saved after the page was made (Django's SessionInterrupted, a 400).
handler400 = "perisai.core.outage.bad_request"


urlpatterns = [
    path("", include("perisai.core.urls")),
    path("metrics", metrics_view, name="metrics"),
    path("akun/", include("allauth.urls")),
    path("staf/", include("perisai.portal.urls")),
    path("staf/akun/", include("perisai.accounts.urls")),
    path("staf/server/", include("perisai.ops.urls")),
    path("staf/pdp/", include("perisai.privacy.urls")),
    path("staf/informasi/", include("perisai.publicinfo.urls")),
    path("staf/laporan/", include("perisai.reports.urls")),
    path("staf/kasus/", include("perisai.cases.urls")),
    path("staf/rujukan/operasi/", include("perisai.outreach.urls")),
    path("staf/rujukan/rapat/", include("perisai.meetings.urls")),
    path("staf/rujukan/", include("perisai.referrals.urls")),
    path("staf/dasbor/", include("perisai.stats.urls")),
    path("staf/pencegahan/", include("perisai.prevention.urls")),
    path("staf/impor/", include("perisai.imports.urls")),
    path("staf/token-api/", include("perisai.api.staff_urls")),
    path("api/v1/", include("perisai.api.urls", namespace="api")),
    path("statistik/", include("perisai.stats.public_urls")),
    path("informasi/", include("perisai.publicinfo.public_urls")),
    path("lapor/", include("perisai.reports.public_urls")),
    path("saluran/", include("perisai.channels.urls")),
    path("bahasa/", login_not_required(set_language), name="set_language"),
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
]
