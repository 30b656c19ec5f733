"""Records through the API: the intake inbox, cases, and referrals for partner agencies. Every read starts from the
domain's selector scoped by the token's owner (out of scope is 404, as on the screens); opening a record is
audited by the same selectors; writes need a write-scope token and go through the same services."""

from __future__ import annotations

import uuid

from django.db.models import Count
from django.http import Http404
from ninja import Router, Status
from ninja.pagination import PageNumberPagination, paginate

from perisai.api.auth import token_auth
from perisai.api.policies import api_policy
from perisai.api.schemas import (
    CaseDetail,
    CaseRow,
    Error,
    NoteIn,
    NoteOut,
    ReferralDetail,
    ReferralRow,
    ReportDetail,
    ReportRow,
)
from perisai.cases import selectors as case_selectors
from perisai.cases import services as case_services
from perisai.cases.policies import case_policy
from perisai.referrals import selectors as referral_selectors
from perisai.referrals.policies import referral_policy
from perisai.reports import selectors as report_selectors
from perisai.reports.policies import report_policy

router = Router(auth=token_auth)


class Page(PageNumberPagination):
    page_size = 50


def _report_row(report) -> dict:
    return {
        "id": report.public_id,
        "code": report.tracking_code,
        "status": report.status,
        "urgent": report.urgent,
        "channel": report.channel,
        "received_at": report.received_at,
        "kecamatan": report.kecamatan.code if report.kecamatan else None,
        "violence_types": report.violence_types,
        "first_contact_due_at": report.first_contact_due_at,
    }


@router.get("/reports", response=list[ReportRow], tags=["laporan"], summary="The intake inbox (no names)")
@paginate(Page)
def report_list(request):
    if not report_policy.can(request.user, "triage"):
        raise Http404
    # The inbox's columns only: listing reports decrypts no child's name or story.
    reports = report_selectors.report_inbox(actor=request.user).only(*report_selectors.INBOX_FIELDS)
    return [_report_row(report) for report in reports]


@router.get("/reports/{report_id}", response={200: ReportDetail, 404: Error}, tags=["laporan"])
def report_detail(request, report_id: uuid.UUID):
    report = report_selectors.report_get(actor=request.user, public_id=report_id)  # audited: it names a child
    return {
        **_report_row(report),
        "narrative": report.narrative,
        "child_name": report.child_name,
        "child_age": report.child_age,
        "child_sex": report.child_sex,
        "location_detail": report.location_detail,
        "case_id": report.case.public_id if report.case_id else None,
    }


def _case_row(case, victims: int) -> dict:
    return {
        "id": case.public_id,
        "registration_number": case.registration_number,
        "status": case.status,
        "risk": case.risk,
        "opened_at": case.opened_at,
        "kecamatan": case.kecamatan.code if case.kecamatan else None,
        "victims": victims,
    }


@router.get("/cases", response=list[CaseRow], tags=["kasus"], summary="Cases the owner may open (no names)")
@paginate(Page)
def case_list(request):
    if not case_policy.can(request.user, "list"):
        raise Http404
    cases = case_selectors.case_list(actor=request.user).annotate(victim_count=Count("victims")).order_by("-opened_at")
    return [_case_row(case, case.victim_count) for case in cases]


@router.get("/cases/{case_id}", response={200: CaseDetail, 404: Error}, tags=["kasus"])
def case_detail(request, case_id: uuid.UUID):
    case = case_selectors.case_get(actor=request.user, public_id=case_id)  # audited: the file is opened
    victims = list(case.victims.prefetch_related("perpetrator_relationships").order_by("pk"))
    return {
        **_case_row(case, len(victims)),
        "incident_date": case.incident_date,
        "place": case.place,
        "chronology": case.chronology,
        "victim_list": [
            {
                "id": v.public_id,
                "name": v.name,
                "sex": v.sex,
                "age": v.estimated_age,
                "violence_types": v.violence_types,
                "kdrt": v.kdrt,
            }
            for v in victims
        ],
    }


@router.post("/cases/{case_id}/notes", response={201: NoteOut, 400: Error, 403: Error, 404: Error}, tags=["kasus"])
def case_note_add(request, case_id: uuid.UUID, payload: NoteIn):
    case = case_selectors.case_get(actor=request.user, public_id=case_id, opening=False)
    if not api_policy.may_write(request.api_token):
        return Status(403, {"detail": "Token ini hanya untuk membaca."})
    if not payload.body.strip():
        return Status(400, {"detail": "Catatan kosong."})
    note = case_services.note_add(actor=request.user, case=case, body=payload.body)  # 404 when not allowed
    return Status(201, {"id": note.public_id, "created_at": note.created_at})


def _referral_row(referral) -> dict:
    return {
        "id": referral.public_id,
        "status": referral.status,
        "agency": referral.agency.name,
        "service_type": referral.service_type,
        "sent_at": referral.created_at,
        "due_at": referral.due_at,
    }


@router.get("/referrals", response=list[ReferralRow], tags=["rujukan"], summary="Referrals the owner may read")
@paginate(Page)
def referral_list(request):
    if not referral_policy.can(request.user, "list"):
        raise Http404
    return [_referral_row(r) for r in referral_selectors.referral_list(actor=request.user).order_by("-created_at")]


@router.get("/referrals/{referral_id}", response={200: ReferralDetail, 404: Error}, tags=["rujukan"])
def referral_detail(request, referral_id: uuid.UUID):
    referral = referral_selectors.referral_get(actor=request.user, public_id=referral_id)
    referral_selectors.referral_opened(actor=request.user, referral=referral)  # audited on the case
    return {**_referral_row(referral), "shared": referral_selectors.shared_with(actor=request.user, referral=referral)}
