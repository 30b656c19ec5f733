"""The intervention plan as items (need → service → provider → responsible worker → target → status), monitoring
against them, the supervisor's approval with what changed since the approved plan, and the closure checklist."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from perisai.accounts.choices import Role
from perisai.accounts.testing import assert_access, matrix_users
from perisai.cases import retention, services
from perisai.cases.choices import ApprovalDecision, CaseStatus
from perisai.cases.models import Case, CaseApproval, PlanItem, PlanMonitoring
from perisai.cases.policies import case_policy
from perisai.cases.tests.factories import ALL_TICKED, open_case, plan_item

pytestmark = pytest.mark.django_db

NEED = "Pemulihan trauma, sulit tidur sejak kejadian"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def at_plan_stage(make_user, manager):
    case = open_case(make_user, manager=manager)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.PLAN)
    case.refresh_from_db()
    return case


def item_data(case, manager, **changes):
    data = {
        "version": case.version,
        "victim": case.victims.get().pk,
        "need": NEED,
        "service_type": "psikologis",
        "provider": manager.agency.pk,
        "responsible": manager.pk,
        "target_date": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "status": "direncanakan",
    }
    data.update(changes)
    return data


class PlanTests:
    def test_items_and_monitoring_are_recorded_and_shown(self, make_user):
        manager = make_user(Role.CASE_MANAGER)
        case = at_plan_stage(make_user, manager)
        client = signed_in(manager)
        assert client.get(reverse("cases:plan_item_add", args=[case.public_id])).status_code == 200
        response = client.post(reverse("cases:plan_item_add", args=[case.public_id]), item_data(case, manager))
        assert response.status_code == 302
        item = PlanItem.objects.get()
        assert item.need == NEED and item.responsible == manager
        url = reverse("cases:plan_monitoring", args=[case.public_id, item.public_id])
        short = client.post(url, {"note": "ok"})
        assert short.status_code == 400 and "paling sedikit 5 karakter" in short.content.decode()
        client.post(url, {"note": "Sesi 1 dengan psikolog: anak mulai bercerita."})
        page = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
        assert NEED in page and "Sesi 1 dengan psikolog" in page and "Pendampingan psikologis" in page

    def test_approval_shows_what_changed_since_the_approved_plan(self, make_user):
        manager, supervisor = make_user(Role.CASE_MANAGER), make_user(Role.SUPERVISOR)
        case = at_plan_stage(make_user, manager)
        client = signed_in(manager)
        request_url = reverse("cases:request_approval", args=[case.public_id])
        empty = client.post(request_url, {"kind": "plan", "note": ""})
        assert empty.status_code == 400 and "paling sedikit satu butir rencana" in empty.content.decode()
        item = plan_item(manager, case, need=NEED)
        past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
        bad = client.post(request_url, {"kind": "plan", "note": "Mohon ditinjau", "review_on": past})
        assert bad.status_code == 400 and "setelah hari ini" in bad.content.decode()
        review = (timezone.localdate() + dt.timedelta(days=60)).isoformat()
        assert client.post(request_url, {"kind": "plan", "note": "", "review_on": review}).status_code == 302
        first = CaseApproval.objects.get()
        assert first.review_on.isoformat() == review and NEED in first.plan_snapshot
        services.approval_decide(actor=supervisor, approval=first, approve=True)
        page = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
        assert "Minta persetujuan rencana intervensi" not in page and "sudah disetujui" in page
        # The plan changes: it may be sent again, and the supervisor reads what changed.
        case.refresh_from_db()
        services.plan_item_save(
            actor=manager,
            case=case,
            version=case.version,
            item=item,
            victim=item.victim,
            need=NEED,
            service_type=item.service_type,
            provider=item.provider,
            status="berjalan",
        )
        plan_item(manager, Case.objects.get(pk=case.pk), need="Rumah aman sementara", service_type="rumah_aman")
        assert client.post(request_url, {"kind": "plan", "note": "Tambah rumah aman"}).status_code == 302
        page = signed_in(supervisor).get(reverse("cases:detail", args=[case.public_id])).content.decode()
        assert "Baru: Rumah aman / penampungan sementara — Rumah aman sementara" in page
        assert "status Direncanakan → Berjalan" in page

    def test_closure_needs_its_checklist_or_a_reason(self, make_user):
        manager, supervisor = make_user(Role.CASE_MANAGER), make_user(Role.SUPERVISOR)
        case = open_case(make_user, manager=manager)
        Case.objects.filter(pk=case.pk).update(status=CaseStatus.SERVICE)
        client = signed_in(manager)
        url = reverse("cases:request_approval", args=[case.public_id])
        partly = {"kind": "closure", "checklist": ["goals_met", "referrals_finished"], "note": ""}
        response = client.post(url, partly)
        assert response.status_code == 400 and "belum dicentang" in response.content.decode()
        assert re.search(r'value="goals_met"[^>]*checked', response.content.decode())  # what was ticked stays
        assert client.post(url, {**partly, "note": "Proses hukum masih di kejaksaan."}).status_code == 302
        approval = CaseApproval.objects.get()
        assert approval.checklist == {**ALL_TICKED, "legal_track_settled": False, "follow_up_arranged": False}
        page = signed_in(supervisor).get(reverse("cases:detail", args=[case.public_id])).content.decode()
        assert "Tujuan rencana intervensi tercapai" in page and "belum" in page
        services.approval_decide(actor=supervisor, approval=approval, approve=True)
        assert CaseApproval.objects.get().decision == ApprovalDecision.APPROVED

    def test_who_may_plan(self, make_user):
        users = matrix_users(make_user)
        manager = users[Role.CASE_MANAGER]
        case = at_plan_stage(make_user, manager)
        assert_access(
            reverse("cases:plan_item_add", args=[case.public_id]),
            users=users,
            allowed={Role.CASE_MANAGER, Role.SUPERVISOR},
        )
        assert_access(
            reverse("cases:plan_item_add", args=[case.public_id]),
            users=users,
            method="post",
            data=lambda: item_data(Case.objects.get(pk=case.pk), manager),
            allowed={Role.CASE_MANAGER, Role.SUPERVISOR},
            ok_status={302},
        )
        item = PlanItem.objects.first()
        assert_access(
            reverse("cases:plan_monitoring", args=[case.public_id, item.public_id]),
            users=users,
            method="post",
            data={"note": ""},
            allowed={Role.CASE_MANAGER, Role.SUPERVISOR},
            ok_status={400},
        )

    def test_retention_erases_the_plans_words(self, make_user):
        manager = make_user(Role.CASE_MANAGER)
        case = at_plan_stage(make_user, manager)
        item = plan_item(manager, case, need=NEED)
        services.plan_monitoring_add(actor=manager, item=item, note="Anak bercerita tentang pamannya.")
        services.approval_request(actor=manager, case=case, kind="plan")
        retention.case_anonymise(case=case)
        assert PlanItem.objects.get().need == "" and PlanMonitoring.objects.get().note == ""
        assert CaseApproval.objects.get().plan_snapshot == "" and not PlanItem.history.exists()


class ApprovedPlanIsThePlanTests:
    def test_a_plan_changed_after_the_request_cannot_be_approved_nor_started(self, make_user):
        manager, supervisor = make_user(Role.CASE_MANAGER), make_user(Role.SUPERVISOR)
        case = at_plan_stage(make_user, manager)
        item = plan_item(manager, case, need=NEED)
        approval = services.approval_request(actor=manager, case=case, kind="plan")
        case.refresh_from_db()
        services.plan_item_save(
            actor=manager,
            case=case,
            version=case.version,
            item=item,
            victim=item.victim,
            need="Lain sama sekali",
            service_type=item.service_type,
            provider=item.provider,
        )
        with pytest.raises(services.WorkflowError, match="sudah diubah"):
            services.approval_decide(actor=supervisor, approval=approval, approve=True)
        services.approval_decide(actor=supervisor, approval=approval, approve=False, comment="Ajukan ulang.")
        case.refresh_from_db()
        second = services.approval_request(actor=manager, case=case, kind="plan")
        services.approval_decide(actor=supervisor, approval=second, approve=True)
        case.refresh_from_db()
        assert ("layanan", "Mulai layanan (rencana disetujui)") in case_policy.next_steps(manager, case)
        services.plan_item_save(
            actor=manager,
            case=case,
            version=case.version,
            item=item,
            victim=item.victim,
            need="Diubah lagi",
            service_type=item.service_type,
            provider=item.provider,
        )
        case.refresh_from_db()
        assert case_policy.next_steps(manager, case) == []  # changed since approval: ask again

    def test_a_plan_item_too_short_is_explained_not_a_server_error(self, make_user):
        manager = make_user(Role.CASE_MANAGER)
        case = at_plan_stage(make_user, manager)
        response = signed_in(manager).post(
            reverse("cases:plan_item_add", args=[case.public_id]), item_data(case, manager, need="Obat")
        )
        assert response.status_code == 400 and "paling sedikit 5 karakter" in response.content.decode()
