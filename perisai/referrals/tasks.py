"""Referral lines for the daily digest, and the once-only overdue notices. Registration numbers and agency names
only: no child's identity in any e-mail (UU SPPA Pasal 19)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from perisai.accounts.choices import Role
from perisai.referrals.choices import ReferralStatus
from perisai.referrals.models import MeetingActionItem, Referral


def digest_lines(user, now) -> list[str]:
    """Overdue referrals and meeting action items this person should chase or answer."""
    if user.agency is None:
        return []
    overdue = Referral.objects.filter(status=ReferralStatus.SENT, due_at__lt=now).select_related("case", "agency")
    items = MeetingActionItem.objects.filter(done_at__isnull=True, due_on__lt=timezone.localdate(now))
    if user.agency.is_home_office:
        if not user.has_role(Role.SUPERVISOR):
            overdue = overdue.filter(Q(case__case_manager=user) | Q(created_by=user))
            items = items.filter(meeting__created_by=user)
    else:
        overdue = overdue.filter(agency=user.agency)
        items = items.filter(agency=user.agency)
    lines = []
    for referral in overdue.order_by("due_at")[:100]:
        due = timezone.localtime(referral.due_at).strftime("%d-%m-%Y %H:%M")
        lines.append(f"- [RUJUKAN TERLAMBAT] {referral.case.registration_number} ke {referral.agency} (batas {due})")
    for item in items.select_related("agency", "meeting").order_by("due_on")[:100]:
        lines.append(
            f"- [TINDAK LANJUT RAPAT TERLAMBAT] {item.agency}: {item.description} (batas {item.due_on:%d-%m-%Y})"
        )
    return lines
