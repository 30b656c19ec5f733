"""Staff pages that span apps: the home with each app's links, and the signed-in person's notices."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from perisai.core import notifications
from perisai.portal import registry


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
