from django.contrib import admin

from perisai.audit.models import AuditEvent
from perisai.core.admin_site import PolicyAdminMixin


@admin.register(AuditEvent)
class AuditEventAdmin(PolicyAdminMixin, admin.ModelAdmin):
    """Read-only: the trail is append-only, in the database too."""

    list_display = [
        "seq",
        "occurred_at",
        "actor",
        "agency",
        "action",
        "object_type",
        "object_id",
        "outcome",
        "ip_address",
    ]
    list_filter = ["action", "outcome", "agency"]
    search_fields = ["object_id", "actor__email"]
    date_hierarchy = "occurred_at"
    list_select_related = ["actor", "agency"]

    @admin.display(description="Tindakan", ordering="action")
    def action_label(self, event: AuditEvent) -> str:
        return event.get_action_display()

    def has_add_permission(self, request, *args) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in AuditEvent._meta.fields]
