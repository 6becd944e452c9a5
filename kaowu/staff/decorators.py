from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext

from kaowu.organization.models import StaffMember


def staff_member_of(user) -> StaffMember | None:
    """The staff role of a signed-in account, with its office and region loaded; None for anyone else."""
    if not user.is_authenticated or not user.is_staff_member:
        return None
    return StaffMember.objects.select_related("user", "office", "office__region", "office__parent").filter(
        user=user).first()


def _to_login(request, message: str | None = None):
    if message:
        messages.warning(request, message)
    query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
    return redirect(reverse("backoffice:login") + (f"?{query}" if query else ""))


def staff_required(view):
    """Back-office views: a signed-in staff member of an active office. Sets `request.staff`.

    Anyone else is sent to the staff login page (with a message), never shown an error page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return _to_login(request)
        if user.is_candidate:
            return _to_login(request, gettext("该页面仅限工作人员使用。考生请在考生服务平台办理业务；工作人员请使用管理端账号登录。"))
        staff = staff_member_of(user)
        if staff is None and user.is_superuser:
            messages.info(request, gettext("系统管理员账号未分配机构和岗位，只能使用基础数据维护。"))
            return redirect("province_admin:index")
        if staff is None:
            logout(request)
            return _to_login(request, gettext("该账号尚未分配所属机构和岗位，无法使用管理端，请联系省级管理员。"))
        if not staff.office.is_active:
            logout(request)
            return _to_login(request, gettext("%(office)s已停用，无法使用管理端，请联系省级管理员。")
                             % {"office": staff.office.name})
        request.staff = staff
        return view(request, *args, **kwargs)

    return wrapper
