"""What referrals add to the portal (perisai.core.contributions): menu links, the digest's overdue referrals and
the once-only overdue notices, demo data. Registration numbers and agency names only: no child's identity in
any e-mail (UU SPPA Pasal 19)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perisai.accounts.choices import Role
from perisai.core.contributions import MenuLink, Metric
from perisai.referrals import selectors, services
from perisai.referrals.choices import ReferralStatus, Side
from perisai.referrals.demo import describe as describe_demo
from perisai.referrals.demo import seed as seed_demo
from perisai.referrals.policies import referral_policy, side_of

__all__ = ["before_digest", "describe_demo", "digest_lines", "menu_links", "metrics", "seed_demo"]


def menu_links(user) -> list[MenuLink]:
    partner = side_of(user) == Side.PARTNER
    links = []
    if referral_policy.can(user, "list"):
        label = _("Rujukan untuk instansi Anda") if partner else _("Rujukan ke instansi mitra")
        links.append(MenuLink(label, reverse("referrals:list"), 20))
    if partner:
        links.append(MenuLink(_("Rujuk anak ke UPTD PPA"), reverse("referrals:refer_in"), 25))
    return links


def before_digest(now: dt.datetime) -> None:
    services.referrals_notify_overdue(now)


def digest_lines(user, now: dt.datetime) -> list[str]:
    """Overdue referrals this person should chase or answer: only referrals they can open (a supervisor does not
    learn of a restricted case this way; a deactivated agency hears nothing)."""
    side = side_of(user)
    if side is None:
        return []
    overdue = (
        referral_policy.visible_to(user)
        .filter(status=ReferralStatus.SENT, due_at__lt=now)
        .select_related("case", "agency")
    )
    if side == Side.OFFICE and not user.has_role(Role.SUPERVISOR):
        overdue = overdue.filter(case__case_manager=user)
    lines = []
    for referral in overdue.order_by("due_at")[:100]:
        due = timezone.localtime(referral.due_at).strftime("%d-%m-%Y %H:%M")
        lines.append(f"- [RUJUKAN TERLAMBAT] {referral.case.registration_number} ke {referral.agency} (batas {due})")
    return lines


def metrics(now: dt.datetime) -> list[Metric]:
    return [Metric("perisai_referrals_overdue", "Referrals a partner has not answered by the deadline", "gauge",
                   [({}, selectors.referrals_overdue_count(now))])]  # fmt: skip
