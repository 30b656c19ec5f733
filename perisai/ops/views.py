"""The administrators' view of the background work: the task queue, the processes and the scheduled jobs."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from perisai.core.selectors import background_overview
from perisai.ops import policies, selectors


@require_safe
def background(request):
    if not policies.can_view_background(request.user):
        raise Http404
    context = {"tasks": background_overview(), "jobs": selectors.jobs_overview()}
    return render(request, "ops/background.html", context)
