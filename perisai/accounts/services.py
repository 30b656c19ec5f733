"""Writes for accounts and agencies. Every change to who may do what goes through here."""

from __future__ import annotations

from collections.abc import Iterable

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from allauth.usersessions.models import UserSession
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from perisai.accounts import policies
from perisai.accounts.choices import Role
from perisai.accounts.models import Agency, User, UserRole
from perisai.audit.choices import AuditAction
from perisai.audit.services import audit_record


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


def _set_roles(user: User, roles: Iterable[str]) -> tuple[list[str], list[str]]:
    wanted = set(roles)
    existing = set(user.roles.values_list("role", flat=True))
    user.roles.exclude(role__in=wanted).delete()
    UserRole.objects.bulk_create([UserRole(user=user, role=role) for role in sorted(wanted - existing)])
    user.__dict__.pop("role_set", None)
    return sorted(wanted - existing), sorted(existing - wanted)


def _end_sessions(user: User) -> int:
    sessions = list(UserSession.objects.filter(user=user))
    for session in sessions:
        session.end()
    return len(sessions)


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
    audit_record(actor=actor, action=AuditAction.USER_CREATED, obj=user, extra={"roles": sorted(roles)})
    return user


@transaction.atomic
def user_update(*, actor: User | None, user: User, roles: Iterable[str] | None = None, **fields) -> User:
    """Change an account's details and, when given, its roles (the full new set)."""
    _require_admin(actor)
    allowed = {"email", "full_name", "agency", "is_active"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"user_update() cannot change {sorted(unknown)}")
    was_active = user.is_active
    for name, value in fields.items():
        setattr(user, name, value)
    if "email" in fields:
        user.email = User.objects.normalize_email(user.email).lower()
    new_roles = list(roles) if roles is not None else list(user.roles.values_list("role", flat=True))
    _check_roles_fit(new_roles, user.agency)
    user.full_clean()
    user.save()
    audit_record(actor=actor, action=AuditAction.USER_UPDATED, obj=user, extra={"fields": sorted(fields)})
    if roles is not None:
        added, removed = _set_roles(user, new_roles)
        if added or removed:
            audit_record(
                actor=actor, action=AuditAction.ROLES_CHANGED, obj=user, extra={"added": added, "removed": removed}
            )
    if was_active and not user.is_active:
        # A disabled account must stop working now, not when its sessions time out.
        ended = _end_sessions(user)
        audit_record(actor=actor, action=AuditAction.USER_DEACTIVATED, obj=user, extra={"sessions_ended": ended})
    return user


@transaction.atomic
def user_end_all_sessions(*, actor: User, user: User) -> int:
    """ "Keluar dari semua perangkat": a user ends their own sessions (a lost phone), or an admin does."""
    if actor.pk != user.pk:
        _require_admin(actor)
    ended = _end_sessions(user)
    audit_record(actor=actor, action=AuditAction.SESSIONS_ENDED, obj=user, extra={"sessions_ended": ended})
    return ended


@transaction.atomic
def user_enrol_second_factor(*, actor: User | None, user: User, totp_secret: str) -> None:
    """Register a TOTP secret and recovery codes for a user (demo accounts, tests, operator scripts);
    people enrol themselves through allauth's own pages."""
    _require_admin(actor)
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    TOTP.activate(user, totp_secret)
    RecoveryCodes.activate(user)
    audit_record(actor=actor, action=AuditAction.MFA_ENROLLED, obj=user, extra={"type": "totp"})


@transaction.atomic
def user_set_password(*, actor: User | None, user: User, password: str) -> User:
    _require_admin(actor)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, action=AuditAction.PASSWORD_SET, obj=user)
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
    audit_record(actor=actor, action=AuditAction.AGENCY_SAVED, obj=agency, extra={"kind": kind})
    return agency
