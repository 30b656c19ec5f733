"""Every signed-in account must have a second factor before it may do anything else."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from perisai.accounts import policies

# Pages a person without a second factor may still open: setting one up, and signing out.
ENROLMENT_URL_NAMES = frozenset(
    {
        "mfa_activate_totp",
        "mfa_index",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_reauthenticate",
        "account_logout",
        "account_reauthenticate",
        "set_language",
    }
)


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "login_required", True) is False:
            return None  # public pages (landing, reporting) never ask for a second factor
        if not policies.must_enrol_second_factor(request.user):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in ENROLMENT_URL_NAMES:
            return None
        messages.info(request, _("Aktifkan verifikasi dua langkah dulu untuk melindungi data anak."))
        return redirect("mfa_activate_totp")
