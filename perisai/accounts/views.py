"""A staff member's own account actions."""

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from perisai.accounts import services


@require_POST
def end_all_sessions(request):
    """For a lost or shared phone: every session of this account ends, this one included."""
    services.user_end_all_sessions(actor=request.user, user=request.user)
    logout(request)
    messages.success(request, _("Anda telah keluar dari semua perangkat. Silakan masuk lagi."))
    return redirect("account_login")
