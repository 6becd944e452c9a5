from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from kaowu.staff.decorators import staff_member_of

from ..forms import StaffLoginForm
from ..services import StaffLoginError, staff_login


def _after_login_url(request) -> str:
    if staff_member_of(request.user) is None:  # a superuser without a role: only the admin site
        return reverse("province_admin:index")
    target = request.POST.get("next") or request.GET.get("next")
    if target and target.startswith("/backoffice/") and url_has_allowed_host_and_scheme(
            target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("backoffice:home")


def login_view(request):
    """管理端登录: username, password and captcha; lockout by django-axes."""
    signed_in_staff = staff_member_of(request.user)
    if (signed_in_staff is not None and signed_in_staff.office.is_active) or (
            request.user.is_authenticated and request.user.is_superuser):
        return redirect(_after_login_url(request))
    form = StaffLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            staff_login(request=request, identifier=form.cleaned_data["identifier"],
                        password=form.cleaned_data["password"])
        except StaffLoginError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect(_after_login_url(request))
    return render(request, "backoffice/login.html", {
        "form": form,
        "next": request.POST.get("next") or request.GET.get("next", ""),
        "signed_in_candidate": request.user.is_authenticated and request.user.is_candidate,
    })
