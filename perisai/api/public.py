"""Public endpoints: the report form and the status check, with the same rules and limits as the web form
(reports.antiabuse, reports.services.report_check_pin): a flood is 429, an unproven sender is marked for review,
a locked code says until when. No token needed."""

from __future__ import annotations

from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from ninja import Router, Status

from perisai.api.schemas import Error, FieldErrors, Receipt, ReportIn, StatusIn, StatusOut
from perisai.audit.context import client_ip
from perisai.reports import altcha_check, antiabuse, selectors, services
from perisai.reports.choices import MessageSender
from perisai.reports.forms import ReportForm

router = Router(tags=["publik"], auth=None)  # public, as the web form: no token needed or used


@router.get("/altcha", response={200: dict}, summary="A proof-of-work challenge for the report form")
def altcha(request):
    return altcha_check.new_challenge()


def _form_data(payload: ReportIn) -> MultiValueDict:
    data = payload.dict()
    form = MultiValueDict({"harms": [str(h) for h in data.pop("harms")]})
    for name, value in data.items():
        if name == "altcha":
            continue
        if isinstance(value, bool):
            value = "yes" if value else "no"
        form[name] = "" if value is None else str(value)
    return form


@router.post(
    "/reports",
    response={201: Receipt, 200: Receipt, 400: FieldErrors, 429: Error},
    summary="Send a report (as the public form)",
)
def report_create(request, payload: ReportIn):
    form = ReportForm(_form_data(payload))
    if not form.is_valid():
        return Status(
            400, {"detail": "Periksa isian.", "errors": {k: [str(e) for e in v] for k, v in form.errors.items()}}
        )
    by_address, by_device = antiabuse.count_submission(request)
    if antiabuse.is_flood(by_address, by_device):
        return Status(429, {"detail": "Terlalu banyak laporan dari alamat ini. Coba lagi nanti, atau hubungi 129."})
    reasons = antiabuse.review_reasons(request, form, by_address, by_device)
    if altcha_check.verified(payload.altcha) and "proof_of_work" in reasons:
        reasons.remove("proof_of_work")  # the JSON field carries the proof, not a form field
    submission = services.report_submit(
        actor=None,
        fields=form.report_fields(),
        token=str(form.cleaned_data["token"]),
        review_reasons=reasons,
        # A program has no device cookie: its address stands in, so a retry from the same address within 30
        # minutes gets the PIN again and the same token sent from elsewhere does not (issue 15).
        device=f"api:{client_ip(request) or 'unknown'}",
    )
    receipt = {"code": submission.report.tracking_code, "pin": submission.pin, "created": submission.created}
    return Status(201 if submission.created else 200, receipt)


@router.post("/reports/status", response={200: StatusOut, 404: Error, 429: Error}, summary="A report's progress")
def report_status(request, payload: StatusIn):
    try:
        report = services.report_check_pin(code=payload.code, pin=payload.pin, client=client_ip(request) or "unknown")
    except services.PinLocked as locked:
        until = timezone.localtime(locked.until).strftime("%H:%M")
        return Status(429, {"detail": f"Terlalu banyak percobaan untuk kode ini. Coba lagi setelah pukul {until}."})
    except services.PinRejected:
        return Status(404, {"detail": "Kode atau PIN tidak cocok."})
    # The same reading as the status page (reports.progress): steps and conversation, nothing about the case.
    report = selectors.report_for_reporter(public_id=report.public_id)
    progress = selectors.report_progress(report=report)
    return Status(
        200,
        {
            "code": progress.code,
            "status": report.status,
            "status_text": progress.headline,
            "steps": [
                {"key": s.key, "label": s.label, "done": s.done, "current": s.current, "at": s.at}
                for s in progress.steps
            ],
            "messages": [
                {
                    "sender": MessageSender.REPORTER if m.from_reporter else MessageSender.STAFF,
                    "body": m.body,
                    "sent_at": m.sent_at,
                }
                for m in progress.messages
            ],
        },
    )
