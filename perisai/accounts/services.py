"""Writes for accounts and agencies. Every change to who may do what goes through here."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from perisai.accounts import policies
from perisai.accounts.choices import Role
from perisai.accounts.models import Agency, User, UserRole


def _check_roles_fit(roles: Iterable[str], agency: Agency | None) -> None:
    misfits = [str(Role(role).label) for role in roles if not policies.role_fits_agency(role, agency)]
    if misfits:
        raise ValidationError(
            {
                "roles": _("Peran berikut tidak sesuai dengan instansi pengguna: %(roles)s.")
                % {"roles": ", ".join(misfits)}
            }
        )


def _require_admin(actor: User | None) -> None:
    # actor=None is the system itself (migrations, seed_demo, management commands run by an operator).
    if actor is not None and not policies.can_use_admin(actor):
        raise PermissionDenied


def _set_roles(user: User, roles: Iterable[str]) -> None:
    wanted = set(roles)
    user.roles.exclude(role__in=wanted).delete()
    existing = set(user.roles.values_list("role", flat=True))
    UserRole.objects.bulk_create([UserRole(user=user, role=role) for role in sorted(wanted - existing)])
    user.__dict__.pop("role_set", None)


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    email: str,
    full_name: str,
    agency: Agency | None,
    roles: Iterable[str] = (),
    password: str | None = None,
    is_superuser: bool = False,
) -> User:
    """Create an account. Without a password the account cannot sign in until one is set."""
    _require_admin(actor)
    roles = list(roles)
    _check_roles_fit(roles, agency)
    user = User(email=User.objects.normalize_email(email).lower(), full_name=full_name.strip(), agency=agency)
    user.is_superuser = is_superuser
    user.set_password(password)
    user.full_clean()
    user.save()
    _set_roles(user, roles)
    return user


@transaction.atomic
def user_update(*, actor: User | None, user: User, roles: Iterable[str] | None = None, **fields) -> User:
    """Change an account's details and, when given, its roles (the full new set)."""
    _require_admin(actor)
    allowed = {"email", "full_name", "agency", "is_active"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"user_update() cannot change {sorted(unknown)}")
    for name, value in fields.items():
        setattr(user, name, value)
    if "email" in fields:
        user.email = User.objects.normalize_email(user.email).lower()
    new_roles = list(roles) if roles is not None else list(user.roles.values_list("role", flat=True))
    _check_roles_fit(new_roles, user.agency)
    user.full_clean()
    user.save()
    if roles is not None:
        _set_roles(user, new_roles)
    return user


@transaction.atomic
def user_set_password(*, actor: User | None, user: User, password: str) -> User:
    _require_admin(actor)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def agency_save(*, actor: User | None, agency: Agency | None = None, name: str, kind: str, **fields) -> Agency:
    """Create an agency (pass none, or a new unsaved instance) or update the given one."""
    _require_admin(actor)
    agency = agency if agency is not None else Agency()
    agency.name = name.strip()
    agency.kind = kind
    for field, value in fields.items():
        setattr(agency, field, value)
    if agency.pk:
        for user in agency.users.prefetch_related("roles"):
            _check_roles_fit(user.role_set, agency)
    agency.full_clean()
    agency.save()
    return agency
