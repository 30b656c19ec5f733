"""Administrators manage accounts and agencies (every save goes through accounts.services) and read the audit trail."""

from allauth.account.decorators import reauthentication_required
from django.contrib import admin
from django.utils.decorators import method_decorator

from perisai.accounts import services
from perisai.accounts.admin_site import PolicyAdminMixin
from perisai.accounts.forms import AgencyAdminForm, UserAdminForm
from perisai.accounts.models import Agency, User
from perisai.audit.models import AuditEvent


@admin.register(User)
class UserAdmin(PolicyAdminMixin, admin.ModelAdmin):
    form = UserAdminForm
    list_display = ["full_name", "email", "agency", "roles_display", "is_active", "last_login"]
    list_filter = ["is_active", "agency", "roles__role"]
    search_fields = ["full_name", "email"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "full_name", "agency", "roles", "is_active"]}),
        ("Kata sandi", {"fields": ["password1", "password2"]}),
        ("Riwayat", {"fields": ["last_login", "date_joined"]}),
    ]

    @admin.display(description="Peran")
    def roles_display(self, user: User) -> str:
        return ", ".join(role.get_role_display() for role in user.roles.all())

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agency").prefetch_related("roles")

    @method_decorator(reauthentication_required)
    def changeform_view(self, request, *args, **kwargs):
        # Creating accounts and changing roles decides who may read children's files: the administrator
        # confirms their password (or second factor) first, before typing anything.
        return super().changeform_view(request, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.user_update(
                actor=request.user,
                user=obj,
                roles=data["roles"],
                email=data["email"],
                full_name=data["full_name"],
                agency=data["agency"],
                is_active=data["is_active"],
            )
            if data.get("password1"):
                services.user_set_password(actor=request.user, user=obj, password=data["password1"])
        else:
            created = services.user_create(
                actor=request.user,
                email=data["email"],
                full_name=data["full_name"],
                agency=data["agency"],
                roles=data["roles"],
                password=data["password1"],
            )
            obj.pk = created.pk

    def save_related(self, request, form, formsets, change):
        # Roles were saved by the service; nothing else is related.
        pass


@admin.register(Agency)
class AgencyAdmin(PolicyAdminMixin, admin.ModelAdmin):
    form = AgencyAdminForm
    list_display = ["name", "short_name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["region"]

    def save_model(self, request, obj, form, change):
        data = dict(form.cleaned_data)
        services.agency_save(actor=request.user, agency=obj, name=data.pop("name"), kind=data.pop("kind"), **data)


# The audit trail sits below every app and knows no admin policy: the admin site, which accounts owns, shows it.
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
