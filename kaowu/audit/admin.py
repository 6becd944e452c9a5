"""The audit log on the province admin site: read-only, nothing can be added, changed or deleted."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kaowu.backoffice.admin_site import ProvinceModelAdmin, province_admin_site

from .models import AuditEvent
from .selectors import audit_action_label


@admin.register(AuditEvent, site=province_admin_site)
class AuditEventAdmin(ProvinceModelAdmin):
    list_display = ["created_at", "action_label", "actor", "actor_office", "target_label", "jurisdiction_code",
                    "ip_address"]
    list_filter = ["action"]
    search_fields = ["action", "target_type", "target_id", "jurisdiction_code", "actor__username",
                     "actor_office__name"]
    date_hierarchy = "created_at"
    list_select_related = ["actor", "actor_office"]
    list_per_page = 50
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
    actions = None

    @admin.display(description=_("操作"), ordering="action")
    def action_label(self, obj):
        return audit_action_label(obj.action)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
