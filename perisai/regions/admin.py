from django.contrib import admin

from perisai.accounts.admin_site import PolicyAdminMixin
from perisai.regions.models import Region


@admin.register(Region)
class RegionAdmin(PolicyAdminMixin, admin.ModelAdmin):
    """Read-mostly: regions come from Kemendagri data files (manage.py load_regions)."""

    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    readonly_fields = ["code", "level", "parent"]

    def has_add_permission(self, request, *args) -> bool:
        return False
