import pytest

from perisai.accounts.choices import AgencyKind
from perisai.accounts.models import Agency
from perisai.meetings.models import Meeting
from perisai.outreach.models import OutreachOperation
from perisai.referrals.choices import ReferralStatus
from perisai.referrals.models import Referral

pytestmark = pytest.mark.django_db


class ReferralDemoTests:
    def test_every_demo_partner_has_referrals_in_every_state_and_an_operation_has_children(self, demo):
        partners = Agency.objects.exclude(kind=AgencyKind.HOME_OFFICE)
        assert partners.count() == 5
        for agency in partners:
            states = set(Referral.objects.filter(agency=agency).values_list("status", flat=True))
            assert states == set(ReferralStatus.values), agency
            assert any(r.overdue for r in Referral.objects.filter(agency=agency)), agency
        operation = OutreachOperation.objects.get()
        assert operation.children.count() >= 3
        assert operation.children.filter(report__isnull=False).exists()
        assert operation.children.filter(report__isnull=True).exists()
        assert Meeting.objects.get().action_items.count() == 3
