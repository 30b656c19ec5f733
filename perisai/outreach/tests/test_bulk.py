"""Satpol PP and Dinas Sosial record their own operations; the office turns the children of an operation into
cases, with the shared facts given once, and refers them together (issue 13, item 9)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from perisai.accounts import services as account_services
from perisai.accounts.choices import AgencyKind, Role
from perisai.accounts.testing import assert_access, matrix_users
from perisai.cases.models import Case
from perisai.outreach import services
from perisai.outreach.models import OutreachChild, OutreachOperation
from perisai.referrals.models import Referral
from perisai.regions.selectors import kecamatan_of_city
from perisai.reports.choices import ReportStatus

pytestmark = pytest.mark.django_db

FIVE = "Andi, 12, L\nSiti, 9, P\nBudi, 11\nR, 8, L\n\nDewi, 14, perempuan"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def operation_data(**changes):
    data = {
        "held_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "kecamatan": kecamatan_of_city().first().code,
        "location": "Simpang lampu merah PCI",
        "team": "6 petugas",
    }
    data.update(changes)
    return data


@pytest.fixture
def social(db):
    return account_services.agency_save(actor=None, name="Dinas Sosial Uji", kind=AgencyKind.SOCIAL)


@pytest.fixture
def satpol(db):
    return account_services.agency_save(actor=None, name="Satpol PP Uji", kind=AgencyKind.SATPOL_PP)


class PartnerOperationTests:
    def test_satpol_pp_records_its_own_operation_and_sees_only_its_agencys(self, make_user, satpol, social):
        satpol_staff = make_user(Role.PARTNER_STAFF, agency=satpol)
        social_staff = make_user(Role.PARTNER_STAFF, agency=social)
        client = signed_in(satpol_staff)
        response = client.post(reverse("outreach:create"), operation_data(agencies=[satpol.pk]))
        operation = OutreachOperation.objects.get()
        assert response["Location"] == reverse("outreach:detail", args=[operation.public_id])
        added = client.post(
            reverse("outreach:add_children", args=[operation.public_id]), {"children": FIVE, "situation": "begging"}
        )
        assert added.status_code == 302 and operation.children.count() == 5
        assert list(operation.children.values_list("name", "estimated_age", "sex"))[-1] == ("Dewi", 14, "p")
        # Dinas Sosial was not in it: not found for them; the office sees it.
        assert signed_in(social_staff).get(reverse("outreach:detail", args=[operation.public_id])).status_code == 404
        assert (
            signed_in(make_user(Role.INTAKE_OFFICER))
            .get(reverse("outreach:detail", args=[operation.public_id]))
            .status_code
            == 200
        )
        # Partners record; the office makes the cases.
        assert client.get(reverse("outreach:cases", args=[operation.public_id])).status_code == 404

    def test_a_bad_line_is_named_and_what_was_typed_stays(self, make_user, satpol):
        officer = make_user(Role.INTAKE_OFFICER)
        operation = services.outreach_record(
            actor=officer,
            held_on=timezone.localdate(),
            kecamatan=kecamatan_of_city().first(),
            location="Pasar",
            agencies=[satpol],
        )
        response = signed_in(officer).post(
            reverse("outreach:add_children", args=[operation.public_id]),
            {"children": "Andi, dua belas, L\nSiti, 9, X", "situation": "working"},
        )
        body = response.content.decode()
        assert response.status_code == 400
        assert "Baris 1: usia harus angka 0 sampai 17." in body and "Baris 2: jenis kelamin ditulis L atau P." in body
        assert "Andi, dua belas, L" in body and not OutreachChild.objects.exists()

    def test_who_sees_what(self, make_user, satpol):
        users = matrix_users(make_user)
        officer = users[Role.INTAKE_OFFICER]
        operation = services.outreach_record(
            actor=officer,
            held_on=timezone.localdate(),
            kecamatan=kecamatan_of_city().first(),
            location="Pasar",
            agencies=[satpol],
        )
        services.outreach_children_add(
            actor=officer, operation=operation, children=[{"name": "A"}], situation="begging"
        )
        assert_access(
            reverse("outreach:cases", args=[operation.public_id]),
            users=users,
            allowed={Role.INTAKE_OFFICER, Role.SUPERVISOR},
        )
        assert_access(
            reverse("outreach:add_children", args=[operation.public_id]),
            users=users,
            method="post",
            data={"children": "", "situation": "begging"},
            allowed={Role.INTAKE_OFFICER, Role.SUPERVISOR},
            ok_status={400},
        )


class CasesFromOperationTests:
    def test_five_children_become_five_cases_referred_to_dinas_sosial_in_one_screen(self, make_user, satpol, social):
        supervisor, manager = make_user(Role.SUPERVISOR), make_user(Role.CASE_MANAGER)
        operation = services.outreach_record(
            actor=supervisor,
            held_on=timezone.localdate() - dt.timedelta(days=1),
            kecamatan=kecamatan_of_city().first(),
            location="Simpang lampu merah PCI",
            agencies=[satpol, social],
        )
        services.outreach_children_add(
            actor=supervisor,
            operation=operation,
            situation="begging",
            children=[{"name": name, "estimated_age": 10} for name in ("Andi", "Siti", "Budi", "Rani", "Dewi")],
        )
        client = signed_in(supervisor)
        url = reverse("outreach:cases", args=[operation.public_id])
        form = client.get(url).context["form"]
        assert len(form.initial["children"]) == 5  # all chosen to start with
        data = {
            "children": [child.pk for child in operation.children.all()],
            "incident_date": operation.held_on.isoformat(),
            "place": "fasilitas_umum",
            "harm": "work",
            "action_taken": "Anak dibawa ke shelter Dinas Sosial, orang tua dipanggil.",
            "risk": "sedang",
            "case_manager": manager.pk,
            "refer_to": social.pk,
            "service_type": "rehabilitasi_sosial",
            "basis": "legal_duty",
            "basis_note": "",
        }
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        cases = Case.objects.all()
        assert cases.count() == 5 and {case.case_manager for case in cases} == {manager}
        assert {case.incident_date for case in cases} == {operation.held_on} and {case.place for case in cases} == {
            "fasilitas_umum"
        }
        assert not any(case.tasks.filter(rule="first_contact").exists() for case in cases)  # met in person
        assert Referral.objects.filter(agency=social).count() == 5
        assert {case.lawful_basis for case in cases} == {"legal_duty"}
        # The reporter's view of each report: handled together with a partner agency.
        assert set(operation.children.values_list("report__status", flat=True)) == {ReportStatus.REFERRED}
        assert "Anak dibawa ke shelter" in cases.first().chronology

    def test_an_intake_officer_may_open_the_cases_but_not_refer_and_nothing_half_made_stays(
        self, make_user, satpol, social
    ):
        officer = make_user(Role.INTAKE_OFFICER)
        operation = services.outreach_record(
            actor=officer,
            held_on=timezone.localdate(),
            kecamatan=kecamatan_of_city().first(),
            location="Pasar",
            agencies=[satpol],
        )
        services.outreach_children_add(
            actor=officer, operation=operation, children=[{"name": "A"}, {"name": "B"}], situation="working"
        )
        client = signed_in(officer)
        data = {
            "children": [child.pk for child in operation.children.all()],
            "incident_date": operation.held_on.isoformat(),
            "place": "fasilitas_umum",
            "harm": "work",
            "risk": "sedang",
            "refer_to": social.pk,
            "service_type": "rehabilitasi_sosial",
            "basis": "legal_duty",
        }
        response = client.post(reverse("outreach:cases", args=[operation.public_id]), data)
        assert response.status_code == 400 and "Hanya supervisor yang dapat merujuk" in response.content.decode()
        assert not Case.objects.exists() and not operation.children.filter(report__isnull=False).exists()
        response = client.post(reverse("outreach:cases", args=[operation.public_id]), {**data, "refer_to": ""})
        assert response.status_code == 302 and Case.objects.count() == 2
