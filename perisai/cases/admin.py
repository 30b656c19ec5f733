"""Administrators keep the legal-stage list here; saves go through cases.services (audited, cache cleared)."""

from django.contrib import admin

from perisai.accounts.admin_site import PolicyAdminMixin
from perisai.cases import services
from perisai.cases.models import LegalStageOption


@admin.register(LegalStageOption)
class LegalStageOptionAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ["label", "code", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["label", "code"]
    ordering = ["order", "label"]

    def get_readonly_fields(self, request, obj=None):
        # Records and statistics refer to the code: it is fixed once the stage exists.
        return ["code"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        # The form (or the list's editable columns) has already put the new values on obj.
        services.legal_stage_option_save(
            actor=request.user, option=obj, code=obj.code, label=obj.label, order=obj.order, is_active=obj.is_active
        )
