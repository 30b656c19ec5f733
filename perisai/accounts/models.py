"""Staff and partner accounts, the agencies they work for, and their roles."""

from __future__ import annotations

import uuid

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from perisai.accounts.choices import AgencyKind, Role
from perisai.accounts.managers import UserManager
from perisai.accounts.policies import can_use_admin


class Agency(models.Model):
    """An organisation whose staff use Perisai: the home office or a partner agency."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("nama instansi"), max_length=200, unique=True)
    short_name = models.CharField(_("nama singkat"), max_length=60, blank=True)
    kind = models.CharField(_("jenis instansi"), max_length=20, choices=AgencyKind.choices)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("wilayah"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Untuk PATBM atau puskesmas: kelurahan atau kecamatan tempat instansi bekerja."),
    )
    email = models.EmailField(_("e-mail instansi"), blank=True)
    phone = models.CharField(_("telepon instansi"), max_length=40, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        ordering = ["name"]
        constraints = [
            # Case files belong to one office; partner agencies only ever receive referrals.
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(kind=AgencyKind.HOME_OFFICE),
                name="accounts_agency_one_home_office",
                violation_error_message=_("Sudah ada instansi kantor sendiri (DP3AP2KB / UPTD PPA)."),
            )
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def is_home_office(self) -> bool:
        return self.kind == AgencyKind.HOME_OFFICE


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Members of the public never have an account: they report anonymously."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("instansi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    is_active = models.BooleanField(
        _("aktif"), default=True, help_text=_("Matikan untuk menonaktifkan akun tanpa menghapus jejaknya.")
    )
    date_joined = models.DateTimeField(_("terdaftar sejak"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_staff(self) -> bool:
        """Django admin asks this; the answer comes from the accounts policy, not from a stored flag."""
        return can_use_admin(self)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def role_set(self) -> frozenset[str]:
        # One query per request at most; policies ask this many times.
        return frozenset(self.roles.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return self.is_active and any(role in self.role_set for role in roles)


class UserRole(models.Model):
    """One role held by one user. A user may hold several (a supervisor is often also a case manager)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(_("diberikan"), auto_now_add=True)

    class Meta:
        verbose_name = _("peran pengguna")
        verbose_name_plural = _("peran pengguna")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="accounts_userrole_unique")]

    def __str__(self) -> str:
        return self.get_role_display()
