"""Partners pick the legal stage of a police action from the office's list, as administrators keep it."""

import pytest
from django.test import Client

from perisai.accounts.choices import Role
from perisai.cases.tests.test_legal_stages import add_stage
from perisai.referrals.forms import ActionForm

pytestmark = pytest.mark.django_db


class PartnerLegalStageTests:
    def test_a_stage_an_administrator_adds_is_offered_to_partners_at_once(self, make_user):
        admin = Client()
        admin.force_login(make_user(Role.ADMINISTRATOR))
        assert add_stage(admin).status_code == 302
        assert "keadilan_restoratif" in dict(ActionForm().fields["legal_stage"].choices)
