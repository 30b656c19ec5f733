"""The Django admin, opened by the accounts policy rather than by a stored is_staff flag."""

from django.contrib import admin

from perisai.accounts import policies


class PerisaiAdminSite(admin.AdminSite):
    site_header = "Perisai — Administrasi"
    site_title = "Perisai"
    index_title = "Pengelolaan pengguna, instansi, dan wilayah"

    def has_permission(self, request) -> bool:
        return policies.can_use_admin(request.user)


class PolicyAdminMixin:
    """Model admin permissions from policies.py instead of Django's per-model permission rows."""

    def has_module_permission(self, request) -> bool:
        return policies.can_manage_reference_data(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return policies.can_manage_reference_data(request.user)

    def has_add_permission(self, request, *args) -> bool:
        return policies.can_manage_reference_data(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return policies.can_manage_reference_data(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Accounts, agencies and regions are referenced by audit events and case files: deactivate instead.
        return False
