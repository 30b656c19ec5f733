"""After triage: the case manager corrects the incident's facts; a supervisor restricts a case with a reason, and
every emergency opening shows its reason where the case's history and its readers are listed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import reauthenticate
from perisai.accounts.choices import Role
from perisai.accounts.testing import assert_access, matrix_users
from perisai.audit.choices import AuditAction
from perisai.audit.models import AuditEvent
from perisai.cases import retention, services
from perisai.cases.models import Case, CaseAccessChange
from perisai.cases.tests.factories import open_case
from perisai.core.testing import shown_date
from perisai.regions import selectors as regions

pytestmark = pytest.mark.django_db

SECRET_REASON = "Terduga pelaku adalah ipar petugas Wulan Sarinah"


def two_places():
    kecamatan = list(regions.kecamatan_of_city()[:2])
    return kecamatan, [regions.kelurahan_of(k.code).first() for k in kecamatan]


def facts_data(case, **changes):
    (kecamatan, _other), (kelurahan, _other_k) = two_places()
    data = {
        "version": case.version,
        "incident_date": (timezone.localdate() - dt.timedelta(days=30)).isoformat(),
        "place": "sekolah",
        "kecamatan": kecamatan.code,
        "kelurahan": kelurahan.code,
        "chronology": "Kronologi yang diperbaiki setelah asesmen.",
    }
    data.update(changes)
    return data


@pytest.fixture
def users(make_user):
    return matrix_users(make_user)


class CaseFactsTests:
    def test_the_case_manager_corrects_the_facts_and_the_page_shows_the_incident_date(self, make_user):
        manager = make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=manager)
        client = Client()
        client.force_login(manager)
        url = reverse("cases:facts_edit", args=[case.public_id])
        form = client.get(url).content.decode()
        assert "Tanggal kejadian" in form and "Kronologi" in form
        data = facts_data(case)
        response = client.post(url, data)
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.incident_date.isoformat() == data["incident_date"]
        assert case.place == "sekolah" and case.kelurahan.code == data["kelurahan"]
        assert case.chronology == data["chronology"]
        assert case.history.count() == 2  # the triaged values are kept
        event = AuditEvent.objects.filter(action=AuditAction.CASE_UPDATED, actor=manager).latest("seq")
        assert event.extra == {"facts": ["chronology", "incident_date", "kecamatan", "kelurahan", "place"]}
        page = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
        assert shown_date(case.incident_date) in page

    def test_a_kelurahan_outside_the_kecamatan_or_a_future_date_is_explained_and_nothing_typed_is_lost(self, make_user):
        manager = make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=manager)
        client = Client()
        client.force_login(manager)
        (_first, second_kecamatan), (first_kelurahan, _second) = two_places()
        tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
        data = facts_data(case, kecamatan=second_kecamatan.code, kelurahan=first_kelurahan.code, incident_date=tomorrow)
        response = client.post(reverse("cases:facts_edit", args=[case.public_id]), data)
        body = response.content.decode()
        assert response.status_code == 400
        assert "Kelurahan ini tidak berada di kecamatan yang dipilih." in body
        assert "Tanggal kejadian tidak boleh di masa depan." in body
        assert data["chronology"] in body
        case.refresh_from_db()
        assert case.place != "sekolah"

    def test_a_stale_save_keeps_what_was_typed(self, make_user):
        manager = make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=manager)
        client = Client()
        client.force_login(manager)
        data = facts_data(case, version=case.version - 1 if case.version > 1 else case.version + 5)
        response = client.post(reverse("cases:facts_edit", args=[case.public_id]), data)
        assert response.status_code == 409
        assert data["chronology"] in response.content.decode()

    def test_who_may_correct_the_facts(self, users, make_user):
        case = open_case(make_user, manager=users[Role.CASE_MANAGER])
        assert_access(
            reverse("cases:facts_edit", args=[case.public_id]),
            users=users,
            allowed={Role.CASE_MANAGER, Role.SUPERVISOR},
            audit_action=AuditAction.RECORD_VIEWED,
        )
        assert_access(
            reverse("cases:facts_edit", args=[case.public_id]),
            users=users,
            method="post",
            data=lambda: facts_data(Case.objects.get(pk=case.pk)),
            allowed={Role.CASE_MANAGER, Role.SUPERVISOR},
            ok_status={302},
        )


class RestrictedCaseTests:
    def test_only_supervisors_restrict(self, users, make_user):
        case = open_case(make_user, manager=users[Role.CASE_MANAGER])
        assert_access(
            reverse("cases:restrict", args=[case.public_id]),
            users=users,
            method="post",
            data={"version": case.version, "restricted": "yes", "reason": "pendek"},
            allowed={Role.SUPERVISOR},
            ok_status={400},
        )

    def test_a_supervisor_restricts_with_a_reason_and_then_needs_break_the_glass(
        self, make_user, django_capture_on_commit_callbacks
    ):
        manager, supervisor = make_user(Role.CASE_MANAGER), make_user(Role.SUPERVISOR)
        case = open_case(make_user, manager=manager)
        client = Client()
        client.force_login(supervisor)
        detail = reverse("cases:detail", args=[case.public_id])
        assert "Batasi akses kasus" in client.get(detail).content.decode()
        url = reverse("cases:restrict", args=[case.public_id])
        short = client.post(url, {"version": case.version, "restricted": "yes", "reason": "pendek"})
        assert short.status_code == 400 and "paling sedikit 10 karakter" in short.content.decode()
        response = client.post(url, {"version": case.version, "restricted": "yes", "reason": SECRET_REASON})
        assert response["Location"] == reverse("cases:list")
        case.refresh_from_db()
        assert case.restricted
        change = CaseAccessChange.objects.get(case=case)
        assert change.reason == SECRET_REASON and change.changed_by == supervisor
        event = AuditEvent.objects.get(action=AuditAction.CASE_RESTRICTED)
        assert SECRET_REASON not in str(event.extra)
        with connection.cursor() as cursor:  # stored encrypted
            cursor.execute("SELECT reason FROM cases_caseaccesschange")
            assert "ipar" not in cursor.fetchone()[0]
        # The supervisor is now outside: the file opens only with a reason.
        assert client.get(detail)["Location"].startswith(reverse("account_reauthenticate"))
        reauthenticate(client)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(detail, {"reason": "Anak dilaporkan hilang malam ini, perlu kontak wali."})
        page = client.get(detail).content.decode()
        assert "Anak dilaporkan hilang malam ini, perlu kontak wali." in page
        assert page.count("Anak dilaporkan hilang malam ini") == 2  # the timeline and "who has opened this file"
        # The case manager still works the case and reads why it was restricted.
        own = Client()
        own.force_login(manager)
        assert SECRET_REASON in own.get(detail).content.decode()

    def test_a_supervisor_in_the_team_lifts_the_restriction(self, make_user):
        supervisor = make_user(Role.SUPERVISOR)
        case = open_case(make_user, manager=supervisor)
        services.case_restrict(actor=supervisor, case=case, restricted=True, reason=SECRET_REASON, version=case.version)
        case.refresh_from_db()
        client = Client()
        client.force_login(supervisor)
        url = reverse("cases:restrict", args=[case.public_id])
        again = client.post(url, {"version": case.version, "restricted": "yes", "reason": SECRET_REASON})
        assert again.status_code == 400 and "sudah seperti itu" in again.content.decode()
        response = client.post(url, {"version": case.version, "restricted": "no", "reason": "Petugas terkait pindah."})
        assert response["Location"] == reverse("cases:detail", args=[case.public_id])
        case.refresh_from_db()
        assert not case.restricted
        assert AuditEvent.objects.filter(action=AuditAction.CASE_UNRESTRICTED, actor=supervisor).count() == 1
        # Lifted, the case is open to the office again, but the reasons stay with those who work it.
        colleague = Client()
        colleague.force_login(make_user(Role.SUPERVISOR))
        page = colleague.get(reverse("cases:detail", args=[case.public_id])).content.decode()
        assert SECRET_REASON not in page and "Petugas terkait pindah." not in page
        assert SECRET_REASON in client.get(reverse("cases:detail", args=[case.public_id])).content.decode()

    def test_retention_erases_the_reasons_and_the_notes(self, make_user):
        supervisor = make_user(Role.SUPERVISOR)
        case = open_case(make_user, manager=supervisor)
        services.case_restrict(actor=supervisor, case=case, restricted=True, reason=SECRET_REASON, version=case.version)
        services.note_add(actor=supervisor, case=case, body="Catatan menyebut nama anak Melati.")
        Case.objects.filter(pk=case.pk).update(status="terminasi")
        services.task_add(actor=supervisor, case=case, title="Antar Melati ke RSUD", due_at=timezone.now())
        retention.case_anonymise(case=case)
        assert CaseAccessChange.objects.get(case=case).reason == ""
        assert case.notes.get().body == ""
        assert not case.tasks.filter(title__contains="Melati").exists()


class StaffIntakeWordingTests:
    def test_the_staff_form_speaks_of_the_reporter_not_of_you(self, make_user):
        client = Client()
        client.force_login(make_user(Role.INTAKE_OFFICER))
        page = client.get(reverse("reports:intake")).content.decode()
        assert "Nama pelapor" in page and "pelapor tidak mau disebut namanya" in page
        assert "Nama Anda" not in page and "saya melapor tanpa nama" not in page


class BreakGlassIsNotATakeoverTests:
    def test_an_emergency_opening_cannot_lift_the_restriction_reassign_or_decide(self, make_user):
        manager, supervisor = make_user(Role.CASE_MANAGER), make_user(Role.SUPERVISOR)
        case = open_case(make_user, manager=manager)
        Case.objects.filter(pk=case.pk).update(restricted=True)
        case.refresh_from_db()
        services.case_break_glass(actor=supervisor, case=case, reason="Anak hilang malam ini, perlu wali.")
        client = Client()
        client.force_login(supervisor)
        page = client.get(reverse("cases:detail", args=[case.public_id]))
        assert page.status_code == 200 and "Cabut pembatasan" not in page.content.decode()
        response = client.post(
            reverse("cases:restrict", args=[case.public_id]),
            {"version": case.version, "restricted": "no", "reason": "Saya ingin akses tetap."},
        )
        assert response.status_code == 404 and Case.objects.get(pk=case.pk).restricted
        response = client.post(
            reverse("cases:assign", args=[case.public_id]), {"version": case.version, "case_manager": supervisor.pk}
        )
        assert response.status_code in (400, 404) and Case.objects.get(pk=case.pk).case_manager == manager
