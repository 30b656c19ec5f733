"""The assessment per victim: structured, versioned (who, when), encrypted, driving the case's risk, shown on
the case page and in the print register."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.accounts.testing import assert_access, matrix_users
from perisai.audit.choices import AuditAction
from perisai.cases import retention, services
from perisai.cases.models import Assessment, Case
from perisai.cases.tests.factories import open_case

pytestmark = pytest.mark.django_db

FAMILY = "Tinggal dengan nenek; ayah tiri terduga pelaku sudah keluar rumah."


def assessment_data(case, **changes):
    data = {
        "version": case.version,
        "risk": "rendah",
        "risk_reasons": "Terduga pelaku sudah tidak serumah dan ada wali yang melindungi.",
        "health": "Visum sudah; luka ringan sembuh.",
        "psychological": "Mudah kaget, sulit tidur.",
        "education": "Kelas 5 SD, masih bersekolah.",
        "family": FAMILY,
        "economic": "Nenek berjualan di pasar.",
        "legal_needs": "Pendampingan saat BAP.",
        "child_view": "Ingin tetap sekolah di tempat yang sama.",
    }
    data.update(changes)
    return data


class AssessmentTests:
    def test_versions_are_kept_and_the_case_risk_follows_the_latest(self, make_user):
        manager = make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=manager)  # opened as high risk
        victim = case.victims.get()
        client = Client()
        client.force_login(manager)
        url = reverse("cases:assessment_edit", args=[case.public_id, victim.public_id])
        assert client.get(url).status_code == 200
        assert client.post(url, assessment_data(case)).status_code == 302
        case.refresh_from_db()
        assert case.risk == "rendah"
        assert case.tasks.get(rule="assessment").done_by == manager  # the assessment task is done
        # The form starts from the last version; a second save adds version 2.
        form = client.get(url).context["form"]
        assert form.initial["family"] == FAMILY
        client.post(url, assessment_data(case, risk="tinggi", risk_reasons="Pelaku kembali ke rumah nenek."))
        case.refresh_from_db()
        assert case.risk == "tinggi"
        assert list(victim.assessments.values_list("number", "risk")) == [(2, "tinggi"), (1, "rendah")]
        page = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
        assert "Pelaku kembali ke rumah nenek." in page and "1 versi sebelumnya tersimpan" in page
        printed = client.get(reverse("cases:print", args=[case.public_id])).content.decode()
        assert FAMILY in printed and "Versi 2" in printed
        with connection.cursor() as cursor:
            cursor.execute("SELECT family FROM cases_assessment")
            assert all("nenek" not in row[0] for row in cursor.fetchall())

    def test_the_highest_risk_among_the_victims_is_the_cases(self, make_user):
        manager = make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=manager)
        first = case.victims.get()
        second = services.victim_save(
            actor=manager, case=case, version=case.version, name="Adik", estimated_age=6, violence_types=["fisik"]
        )
        for victim, risk in ((first, "sedang"), (second, "rendah")):
            case.refresh_from_db()
            services.assessment_record(
                actor=manager, case=case, victim=victim, version=case.version, risk=risk, risk_reasons="Alasan uji x"
            )
        assert Case.objects.get(pk=case.pk).risk == "sedang"

    def test_a_reason_is_needed_and_nothing_typed_is_lost(self, make_user):
        manager = make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=manager)
        client = Client()
        client.force_login(manager)
        url = reverse("cases:assessment_edit", args=[case.public_id, case.victims.get().public_id])
        response = client.post(url, assessment_data(case, risk_reasons="pendek"))
        body = response.content.decode()
        assert response.status_code == 400 and "paling sedikit 10 karakter" in body and FAMILY in body
        assert not Assessment.objects.exists()

    def test_who_may_assess(self, make_user):
        users = matrix_users(make_user)
        case = open_case(make_user, manager=users[Role.CASE_MANAGER])
        url = reverse("cases:assessment_edit", args=[case.public_id, case.victims.get().public_id])
        assert_access(
            url, users=users, allowed={Role.CASE_MANAGER, Role.SUPERVISOR}, audit_action=AuditAction.RECORD_VIEWED
        )
        assert_access(
            url,
            users=users,
            method="post",
            data=lambda: assessment_data(Case.objects.get(pk=case.pk)),
            allowed={Role.CASE_MANAGER, Role.SUPERVISOR},
            ok_status={302},
        )

    def test_retention_erases_the_assessment_text_and_keeps_the_risk(self, make_user):
        manager = make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=manager)
        services.assessment_record(
            actor=manager,
            case=case,
            victim=case.victims.get(),
            version=case.version,
            risk="sedang",
            family=FAMILY,
            risk_reasons="Alasan risiko uji.",
        )
        retention.case_anonymise(case=case)
        kept = Assessment.objects.get()
        assert kept.family == "" and kept.risk_reasons == "" and kept.risk == "sedang"
