"""The staff back office."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "kaowu.backoffice"
    label = "backoffice"
    verbose_name = _("管理端")

    def ready(self):
        from kaowu.audit.selectors import audit_log_allowed
        from kaowu.identity.selectors import pending_review_count
        from kaowu.staff.layout import layout_value

        from .admin_site import province_admin_site

        # The side nav of every staff page (kaowu.staff.layout.staff_render), whichever app renders it.
        layout_value("can_view_audit", lambda request: audit_log_allowed(staff=request.staff))
        layout_value("can_maintain_reference_data", province_admin_site.has_permission)
        layout_value("identity_pending", lambda request: pending_review_count(staff=request.staff))
