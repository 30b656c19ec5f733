"""Who may manage accounts, agencies and reference data, and which roles fit which agency.

The only place these rules live: views, admin and templates ask here and receive booleans.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.mfa.models import Authenticator
from django.conf import settings

from perisai.accounts.choices import HOME_OFFICE_ROLES, PARTNER_ROLES, Role

if TYPE_CHECKING:
    from perisai.accounts.models import Agency, User


def works_in_office(user: User, *roles: str) -> bool:
    """Staff of the home office (DP3AP2KB / UPTD PPA) holding one of `roles`."""
    return bool(
        user.is_authenticated and user.agency is not None and user.agency.is_home_office and user.has_role(*roles)
    )


def works_for_partner(user: User) -> bool:
    """Staff of an active partner agency. A deactivated agency is no longer a partner: its staff see nothing,
    even while their accounts are still active."""
    return bool(
        user.is_authenticated
        and user.agency is not None
        and user.agency.is_active
        and not user.agency.is_home_office
        and user.has_role(Role.PARTNER_STAFF)
    )


def is_administrator(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.has_role(Role.ADMINISTRATOR)))


def can_use_admin(user: User) -> bool:
    """Administrators manage users, agencies and reference lists. Holding this role alone never opens a
    case file: that needs a case role as well (need-to-know)."""
    return is_administrator(user)


def can_manage_reference_data(user: User) -> bool:
    return is_administrator(user)


def role_fits_agency(role: str, agency: Agency | None) -> bool:
    """Office roles belong to the home office; partner staff to a partner agency. A police officer
    can never be made a supervisor of the office's case files by a slip in the admin."""
    if agency is None:
        return False
    if agency.is_home_office:
        return role in HOME_OFFICE_ROLES
    return role in PARTNER_ROLES


def must_enrol_second_factor(user: User) -> bool:
    """Staff and partner accounts open children's files: a password alone is not enough (UU PDP Pasal 35).
    In development the requirement can be switched off for experiments; in production it cannot."""
    if not user.is_authenticated:
        return False
    if not settings.PERISAI_REQUIRE_SECOND_FACTOR:
        return False
    return not Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()
