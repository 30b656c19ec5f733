"""Partners hand a child over to the office (/staf/rujukan/ke-kantor/): the office's intake form and rules."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from perisai.accounts.choices import AgencyKind
from perisai.reports import services as report_services
from perisai.reports.choices import Channel
from perisai.reports.forms import ReportForm
from perisai.reports.policies import report_policy


class PartnerReferralForm(ReportForm):
    """The public form's fields and rules (as staff intake), without the channel and time, which are fixed."""


CHANNEL_OF_AGENCY = {
    AgencyKind.POLICE: Channel.POLICE,
    AgencyKind.EDUCATION: Channel.SCHOOL,
    AgencyKind.HEALTH: Channel.HEALTH,
    AgencyKind.SATPOL_PP: Channel.OUTREACH,
    AgencyKind.SOCIAL: Channel.OUTREACH,
}


@require_http_methods(["GET", "POST"])
def refer_to_office(request):
    """Same form and rules as the office's own intake; the report lands in the inbox with this agency on it."""
    if not report_policy.can(request.user, "refer_in"):
        raise Http404
    # The channel follows from the agency and the time is now: a partner cannot back- or forward-date a hand-over
    # and so move the office's first-contact deadline.
    channel = CHANNEL_OF_AGENCY.get(request.user.agency.kind, Channel.LETTER)
    if request.method == "GET":
        form = PartnerReferralForm(initial={"token": uuid.uuid4()})
        return render(request, "referrals/refer_in.html", {"form": form})
    form = PartnerReferralForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "referrals/refer_in.html", {"form": form}, status=400)
    try:
        submission = report_services.report_submit(
            actor=request.user,
            fields=form.report_fields(),
            token=str(form.cleaned_data["token"]),
            channel=channel,
            received_at=timezone.now(),
            source_agency=request.user.agency,
            uploads=form.cleaned_data["attachments"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, "referrals/refer_in.html", {"form": form}, status=400)
    for reason in submission.rejected_files:
        messages.warning(request, reason)
    context = {"report": submission.report, "pin": submission.pin}
    return render(request, "referrals/refer_in_done.html", context)
