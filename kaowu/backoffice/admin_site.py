from django.contrib.admin import AdminSite


class ProvinceAdminSite(AdminSite):
    """Django admin, for province administrators only, for reference data."""

    site_header = "省级管理员 · 基础数据维护"
    site_title = "基础数据维护"
    index_title = "基础数据"
    login_template = None

    def has_permission(self, request):
        user = request.user
        if not (user.is_active and user.is_authenticated):
            return False
        if user.is_superuser:
            return True
        staff = getattr(user, "staff_member", None)
        return bool(user.is_staff and staff is not None and staff.is_province_administrator)


province_admin_site = ProvinceAdminSite(name="province_admin")
