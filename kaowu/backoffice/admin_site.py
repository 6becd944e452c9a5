from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.admin import AdminSite
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.audit.events import AuditAction
from kaowu.core.text import ModelForm


class ProvinceAdminSite(AdminSite):
    """Django admin, for province administrators only, for reference data.

    There is no separate admin login: signing in happens on the back-office login page (captcha,
    lockout, audit); the admin's own login URL only sends people there."""

    site_header = _("省级管理员 · 基础数据维护")
    site_title = _("基础数据维护")
    index_title = _("基础数据")
    site_url = "/backoffice/"
    login_template = None

    def has_permission(self, request):
        user = request.user
        if not (user.is_active and user.is_authenticated):
            return False
        if user.is_superuser:
            return True
        staff = getattr(user, "staff_member", None)
        return bool(user.is_staff and staff is not None and staff.is_province_administrator)

    def login(self, request, extra_context=None):
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
            next_url = reverse("province_admin:index")
        if request.user.is_authenticated and self.has_permission(request):
            return redirect(next_url)
        if request.user.is_authenticated:
            messages.error(request, gettext("基础数据维护仅限省级考试机构的管理员使用。"))
            return redirect("backoffice:home")
        return redirect(reverse("backoffice:login") + "?" + urlencode({"next": next_url}))

    def logout(self, request, extra_context=None):
        if request.method != "POST":
            return redirect("province_admin:index")
        logout(request)
        messages.info(request, gettext("您已安全退出。"))
        return redirect("backoffice:login")


province_admin_site = ProvinceAdminSite(name="province_admin")


class ProvinceModelAdmin(admin.ModelAdmin):
    """Base for every model on the province admin site.

    Province administrators hold no Django model permissions: entering the site (has_permission)
    is the permission. Subclasses narrow it (read-only models return False for add/change/delete).
    Every add, change and delete is also written to the audit log. Its forms derive from
    kaowu.core.text.ModelForm: every text field under the free-text rule."""

    form = ModelForm

    def _allowed(self, request) -> bool:
        return self.admin_site.has_permission(request)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)

    def _audit(self, request, action: str, obj, message) -> None:
        from kaowu.audit.services import audit_record

        audit_record(actor=request.user, action=action, target=obj, request=request,
                     detail={"model": obj._meta.label_lower, "change": _change_summary(message)})

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._audit(request, AuditAction.ADMIN_ADD, obj, message)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._audit(request, AuditAction.ADMIN_CHANGE, obj, message)
        return entry

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._audit(request, AuditAction.ADMIN_DELETE, obj, None)
        return super().log_deletions(request, queryset)


def _change_summary(message) -> list[str]:
    """Field names from the admin's change message (never field values)."""
    fields: list[str] = []
    for item in message or []:
        if isinstance(item, dict):
            for part in item.values():
                if isinstance(part, dict):
                    fields.extend(str(f) for f in part.get("fields", []))
    return fields
