"""Reads of accounts that other apps need, e.g. whom to tell about a referral or a meeting's action item."""

from __future__ import annotations

from django.db.models import QuerySet

from perisai.accounts.choices import AgencyKind, Role
from perisai.accounts.models import Agency, User


def partner_staff(agency: Agency) -> QuerySet[User]:
    """The active partner-staff accounts of an active agency (nobody, once the agency is deactivated)."""
    return User.objects.filter(
        agency=agency, agency__is_active=True, roles__role=Role.PARTNER_STAFF, is_active=True
    ).distinct()


def active_agencies() -> QuerySet[Agency]:
    """Every active agency, the office included, by name (who took part in an operation or a meeting)."""
    return Agency.objects.filter(is_active=True).order_by("name")


def office_staff(*roles: str) -> QuerySet[User]:
    """The active accounts of the home office (DP3AP2KB / UPTD PPA) holding any of `roles`."""
    return User.objects.filter(agency__kind=AgencyKind.HOME_OFFICE, is_active=True, roles__role__in=roles).distinct()


def users_by_id(ids) -> dict[int, User]:
    """Accounts named in an administrator's view of the audit trail."""
    return {user.pk: user for user in User.objects.filter(pk__in=[i for i in ids if i is not None])}


def home_office() -> Agency | None:
    """The office running this Perisai (DP3AP2KB / UPTD PPA); at most one exists."""
    return Agency.objects.filter(kind=AgencyKind.HOME_OFFICE).first()
