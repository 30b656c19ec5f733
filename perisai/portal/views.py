"""Staff pages that span apps: the home with each app's links, and the signed-in person's notices."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from perisai.core import notifications
from perisai.portal import registry
from perisai.portal.forms import EmailPreferencesForm


@require_safe
def staff_home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/staff_home.html", {"menu_links": registry.menu_links(request.user)})


@require_http_methods(["GET", "POST"])
def notification_list(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own notices; POST marks them all read."""
    if request.method == "POST":
        notifications.notifications_mark_read(actor=request.user)
        return redirect("portal:notifications")
    notices = notifications.notifications_for(request.user)[:100]
    return render(request, "portal/notifications.html", {"notices": notices})


@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    """Which kinds of notice also come by e-mail, chosen by each person for themselves."""
    if request.method == "POST":
        form = EmailPreferencesForm(request.POST)
        if form.is_valid():
            notifications.email_preferences_save(actor=request.user, by_email=form.cleaned_data["by_email"])
            messages.success(request, _("Pengaturan pemberitahuan disimpan."))
            return redirect("portal:notifications")
        return render(request, "portal/notification_settings.html", {"form": form}, status=400)
    chosen = notifications.email_preferences(request.user)
    form = EmailPreferencesForm(initial={"by_email": [kind for kind, email in chosen.items() if email]})
    return render(request, "portal/notification_settings.html", {"form": form})


@require_safe
def notification_open(request: HttpRequest, public_id) -> HttpResponse:
    """Following a notice marks it read, then leads to its page (where access is checked again)."""
    return redirect(notifications.notification_open(actor=request.user, public_id=public_id))
