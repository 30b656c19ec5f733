import pytest
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.accounts.testing import assert_access, matrix_users
from perisai.cases import services
from perisai.cases.choices import CaseStatus
from perisai.cases.models import Case, Victim
from perisai.cases.tests.factories import open_case

pytestmark = pytest.mark.django_db


def victim_data(case, **overrides):
    data = {
        "version": case.version,
        "name": "Melati Demo",
        "sex": "p",
        "birth_date": "2012-05-05",
        "nik": "3672014505120001",
        "violence_types": ["seksual"],
        "estimated_age": "",
    }
    data.update(overrides)
    return data


class VictimFormTests:
    def test_the_case_manager_records_a_victim_with_a_valid_nik(self, client, make_user):
        manager = make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=manager)
        client.force_login(manager)
        response = client.post(reverse("cases:victim_add", args=[case.public_id]), victim_data(case))
        assert response.status_code == 302
        victim = case.victims.get(name_index=Victim._meta.get_field("name_index").index_for("melati demo"))
        assert victim.nik == "3672014505120001"

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"nik": "3672013102150001", "birth_date": ""}, "Tanggal lahir di dalam NIK tidak valid"),
            ({"nik": "367201450512"}, "NIK harus 16 angka"),
            ({"nik": "3672014505120000"}, "tidak boleh 0000"),
            ({"birth_date": "2012-06-05"}, "tidak sama dengan yang tertulis di NIK"),
            ({"birth_date": "", "estimated_age": "", "nik": ""}, "Isi tanggal lahir atau perkiraan usia"),
        ],
    )
    def test_bad_input_is_explained_and_kept(self, client, make_user, overrides, message):
        manager = make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=manager)
        client.force_login(manager)
        response = client.post(reverse("cases:victim_add", args=[case.public_id]), victim_data(case, **overrides))
        assert response.status_code == 400
        assert message in response.content.decode()
        assert 'value="Melati Demo"' in response.content.decode()

    def test_an_adult_victim_is_recorded_and_her_form_saves_again(self, client, make_user):
        """UPTD PPA also serves women: a mother and her child are often victims in one case (issue 13, item 11)."""
        manager = make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=manager)
        client.force_login(manager)
        data = victim_data(case, name="Ibu Demo", birth_date="1990-03-01", nik="", estimated_age="")
        assert client.post(reverse("cases:victim_add", args=[case.public_id]), data).status_code == 302
        mother = case.victims.get(birth_date="1990-03-01")
        url = reverse("cases:victim_edit", args=[case.public_id, mother.public_id])
        form = client.get(url)
        assert form.status_code == 200 and "dewasa" in form.content.decode()
        again = {**data, "version": Case.objects.get(pk=case.pk).version, "guardian": ""}
        assert client.post(url, again).status_code == 302  # a form never refuses its own saved data
        page = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
        assert "Dewasa" in page

    def test_a_stale_save_is_refused_and_the_input_shown_back(self, client, make_user):
        manager = make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=manager)
        stale = victim_data(case, name="Isian Yuli")
        services.case_transition(actor=manager, case=case, to=CaseStatus.ASSESSMENT, version=case.version)
        client.force_login(manager)
        response = client.post(reverse("cases:victim_add", args=[case.public_id]), stale)
        assert response.status_code == 409
        body = response.content.decode()
        assert "Orang lain menyimpan kasus ini saat Anda mengisi" in body and 'value="Isian Yuli"' in body
        assert case.victims.count() == 1
        # Saving again from that page (now carrying the new version) works.
        response = client.post(
            reverse("cases:victim_add", args=[case.public_id]),
            {**stale, "version": Case.objects.get(pk=case.pk).version},
        )
        assert response.status_code == 302 and case.victims.count() == 2

    def test_a_child_perpetrator_must_be_marked_as_such(self, client, make_user):
        manager = make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=manager)
        client.force_login(manager)
        response = client.post(
            reverse("cases:perpetrator_add", args=[case.public_id]),
            {"version": case.version, "age": "15", f"rel_{case.victims.get().public_id}": "tetangga", "sex": "l"},
        )
        assert "anak berkonflik dengan hukum" in response.content.decode()

    def test_access_matrix(self, make_user):
        users = matrix_users(make_user)
        case = open_case(make_user, manager=users[Role.CASE_MANAGER])
        for name in ("cases:victim_add", "cases:perpetrator_add"):
            assert_access(
                reverse(name, args=[case.public_id]), users=users, allowed={Role.CASE_MANAGER, Role.SUPERVISOR}
            )
        victim = case.victims.get()
        assert_access(
            reverse("cases:victim_edit", args=[case.public_id, victim.public_id]),
            users=users,
            allowed={Role.CASE_MANAGER, Role.SUPERVISOR},
        )


class ServiceAndLegalTrackTests:
    def test_a_service_by_a_partner_and_the_legal_stage_show_on_the_case(self, client, make_user, police_agency):
        manager = make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=manager, perpetrator_relationship="tetangga")
        victim, perpetrator = case.victims.get(), case.perpetrators.get()
        client.force_login(manager)
        response = client.post(
            reverse("cases:service_add", args=[case.public_id]),
            {
                "version": case.version,
                "victim": victim.pk,
                "service_type": "penegakan_hukum",
                "provider": police_agency.pk,
                "delivered_on": "2026-11-20",
                "outcome": "BAP selesai.",
            },
        )
        assert response.status_code == 302
        case.refresh_from_db()
        response = client.post(
            reverse("cases:perpetrator_edit", args=[case.public_id, perpetrator.public_id]),
            {
                "version": case.version,
                f"rel_{victim.public_id}": "tetangga",
                "sex": "l",
                "age": "40",
                "police_report_number": "LP/B/123/XI/2026",
                "police_report_date": "2026-11-19",
                "legal_stage": "penyidikan",
            },
        )
        assert response.status_code == 302
        page = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
        assert "Penegakan Hukum" in page and "Unit PPA Polres Uji" in page
        assert "Penyidikan" in page and "LP/B/123/XI/2026" in page

    def test_a_service_needs_a_date(self, client, make_user, police_agency):
        manager = make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=manager)
        client.force_login(manager)
        response = client.post(
            reverse("cases:service_add", args=[case.public_id]),
            {
                "version": case.version,
                "victim": case.victims.get().pk,
                "service_type": "kesehatan",
                "provider": police_agency.pk,
            },
        )
        assert response.status_code == 400 and "Isi tanggal rencana" in response.content.decode()


class NotesDocumentsPrintTests:
    def test_notes_documents_and_an_audited_watermarked_print(self, client, make_user, settings, tmp_path):
        from perisai.audit.choices import AuditAction
        from perisai.audit.models import AuditEvent
        from perisai.core.tests.uploads import pdf

        settings.MEDIA_ROOT = tmp_path / "media"
        manager = make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=manager)
        client.force_login(manager)
        client.post(reverse("cases:note_add", args=[case.public_id]), {"body": "Anak sudah di rumah aman."})
        client.post(reverse("cases:document_add", args=[case.public_id]), {"file": pdf("visum Melati.pdf")})
        page = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
        assert "Anak sudah di rumah aman." in page and "lampiran-" in page and "Melati" not in page
        printed = client.get(reverse("cases:print", args=[case.public_id])).content.decode()
        assert f"Dicetak oleh {manager.full_name}" in printed and "RAHASIA" in printed
        assert AuditEvent.objects.filter(action=AuditAction.PRINTED, actor=manager).exists()

    def test_access_matrix(self, make_user):
        users = matrix_users(make_user)
        case = open_case(make_user, manager=users[Role.CASE_MANAGER])
        assert_access(
            reverse("cases:print", args=[case.public_id]),
            users=users,
            allowed={Role.CASE_MANAGER, Role.SUPERVISOR},
            audit_action="printed",
        )
        for name in ("cases:note_add", "cases:document_add"):
            assert_access(
                reverse(name, args=[case.public_id]),
                users=users,
                method="post",
                allowed={Role.CASE_MANAGER, Role.SUPERVISOR},
                ok_status={400},
            )


class RelationshipPerVictimTests:
    def test_one_perpetrator_related_differently_to_two_victims(self, client, make_user):
        manager = make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=manager, child_name="Anak Satu")
        client.force_login(manager)
        client.post(
            reverse("cases:victim_add", args=[case.public_id]),
            victim_data(case, name="Anak Dua", nik="", birth_date="", estimated_age="7"),
        )
        case.refresh_from_db()
        first, second = case.victims.order_by("pk")
        response = client.post(
            reverse("cases:perpetrator_add", args=[case.public_id]),
            {
                "version": case.version,
                "sex": "l",
                "age": "45",
                f"rel_{first.public_id}": "orang_tua",
                f"rel_{second.public_id}": "tetangga",
            },
        )
        assert response.status_code == 302
        perpetrator = case.perpetrators.get()
        assert {r.victim_id: r.relationship for r in perpetrator.relationships.all()} == {
            first.pk: "orang_tua",
            second.pk: "tetangga",
        }
        page = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
        assert "Orang Tua (Anak Satu)" in page and "Tetangga (Anak Dua)" in page
