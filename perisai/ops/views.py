"""The administrators' pages: the background work (the task queue, the processes, the scheduled jobs) and the
office's holidays."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from perisai.core import services as core_services
from perisai.core.selectors import background_overview, holidays_by_year
from perisai.ops import policies, selectors
from perisai.ops.forms import HolidayRemoveForm, HolidaysForm


@require_safe
def background(request):
    if not policies.can_view_background(request.user):
        raise Http404
    context = {"tasks": background_overview(), "jobs": selectors.jobs_overview()}
    return render(request, "ops/background.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def holidays(request):
    if not policies.can_manage_holidays(request.user):
        raise Http404
    form = HolidaysForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        changed = core_services.holidays_add(actor=request.user, days=form.cleaned_data["days"])
        count = len(changed)
        saved = ngettext("%(n)s hari libur disimpan.", "%(n)s hari libur disimpan.", count)
        messages.success(request, saved % {"n": count})
        return redirect("ops:holidays")
    today = timezone.localdate()
    years = holidays_by_year()
    # From October the SKB for next year is usually out: ask for it before a December report is promised a morning
    # that is a holiday.
    from_settings = sorted(settings.PERISAI_HOLIDAYS)
    asked = (today.year, today.year + 1) if today.month >= 10 else (today.year,)
    entered = set(years) | {int(day[:4]) for day in from_settings}
    missing = [year for year in asked if year not in entered]
    context = {"form": form, "years": years, "missing_years": missing, "from_settings": from_settings}
    return render(request, "ops/holidays.html", context, status=400 if form.is_bound else 200)


@require_POST
def holiday_remove(request):
    if not policies.can_manage_holidays(request.user):
        raise Http404
    form = HolidayRemoveForm(request.POST)
    if form.is_valid() and core_services.holiday_remove(actor=request.user, day=form.cleaned_data["date"]):
        messages.success(request, _("Hari libur %(date)s dihapus.") % {"date": form.cleaned_data["date"].isoformat()})
    return redirect("ops:holidays")
