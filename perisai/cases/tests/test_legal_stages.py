"""The legal-stage list is the office's own: administrators add and retire stages in the admin."""

import pytest
from django.test import Client
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.audit.choices import AuditAction
from perisai.audit.models import AuditEvent
from perisai.cases import legal_stages, services
from perisai.cases.forms import PerpetratorForm
from perisai.cases.models import LegalStageOption, Perpetrator
from perisai.cases.tests.factories import open_case

pytestmark = pytest.mark.django_db


def add_stage(client, code="keadilan_restoratif", label="Keadilan restoratif (RJ)", order="75"):
    return client.post(
        reverse("admin:cases_legalstageoption_add"), {"code": code, "label": label, "order": order, "is_active": "on"}
    )


class LegalStageListTests:
    def test_the_simfoni_stages_are_loaded_in_the_order_of_the_process(self):
        codes = [code for code, _label in legal_stages.stage_choices()]
        assert codes[:4] == ["laporan_polisi", "pemeriksaan", "penyelidikan", "penyidikan"]
        assert codes[-1] == "putusan" and len(codes) == 14

    def test_an_administrator_adds_a_stage_and_staff_can_pick_it_at_once(self, make_user):
        admin = Client()
        admin.force_login(make_user(Role.ADMINISTRATOR))
        assert add_stage(admin).status_code == 302
        assert AuditEvent.objects.filter(action=AuditAction.REFERENCE_DATA_SAVED).count() == 1
        manager = make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=manager)
        form = PerpetratorForm(case=case, instance=case.perpetrators.first() or Perpetrator(case=case))
        assert ("keadilan_restoratif", "Keadilan restoratif (RJ)") in form.fields["legal_stage"].choices

    def test_a_retired_stage_stays_on_the_records_that_use_it_but_is_not_offered_again(self, make_user):
        manager = make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=manager, perpetrator_relationship="tetangga")
        perpetrator = case.perpetrators.get()
        Perpetrator.objects.filter(pk=perpetrator.pk).update(legal_stage="diversi")
        perpetrator.refresh_from_db()
        option = LegalStageOption.objects.get(code="diversi")
        services.legal_stage_option_save(
            actor=None, option=option, code="diversi", label=option.label, order=option.order, is_active=False
        )
        legal_stages.cache.delete(legal_stages.CACHE_KEY)  # on_commit does this outside a test transaction
        assert "diversi" not in dict(legal_stages.stage_choices())
        assert "diversi" in dict(PerpetratorForm(case=case, instance=perpetrator).fields["legal_stage"].choices)
        assert perpetrator.legal_stage_label == "Diversi"

    def test_only_administrators_keep_the_list_and_nobody_deletes_a_stage(self, make_user):
        for role in (Role.SUPERVISOR, Role.CASE_MANAGER, Role.ANALYST):
            client = Client()
            client.force_login(make_user(role))
            assert client.get(reverse("admin:cases_legalstageoption_changelist")).status_code == 302
        admin = Client()
        admin.force_login(make_user(Role.ADMINISTRATOR))
        assert admin.get(reverse("admin:cases_legalstageoption_changelist")).status_code == 200
        option = LegalStageOption.objects.first()
        assert admin.get(reverse("admin:cases_legalstageoption_delete", args=[option.pk])).status_code == 403

    def test_a_stage_code_is_a_slug_and_unique(self, make_user):
        admin = Client()
        admin.force_login(make_user(Role.ADMINISTRATOR))
        response = add_stage(admin, code="bukan kode!")
        assert response.status_code == 200 and "bukan kode!" in response.content.decode()
        assert add_stage(admin, code="diversi").status_code == 200
        assert not LegalStageOption.objects.filter(label="Keadilan restoratif (RJ)").exists()
