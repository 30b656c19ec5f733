"""The referrals section of the case page (registered with cases.panels in ReferralsConfig.ready())."""

from __future__ import annotations

from perisai.cases.models import Case
from perisai.cases.panels import CasePanel
from perisai.referrals.policies import referral_policy
from perisai.referrals.selectors import referrals_of_case


def case_panel_context(actor, case: Case) -> dict:
    return {"referrals": referrals_of_case(case), "can_refer": referral_policy.can(actor, "refer", case)}


CASE_PANEL = CasePanel(
    name="referrals", template_name="referrals/_case_panel.html", context=case_panel_context, order=10
)
