from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from kaowu.verification.forms import SmsSendForm
from kaowu.verification.views import sms_button_context

from ..forms.auth import FirstPasswordChangeForm, PasswordLoginForm, RegistrationForm, SmsLoginForm
from ..models import User
from ..passwords import password_rules_text
from ..services import AccountError
from ..services.login import acting_exam_number_choose, candidate_login_by_sms, exam_numbers_of, session_start
from ..services.passwords import password_set
from ..services.registration import candidate_register


def _after_login_url(request, user):
    if user.must_change_password:
        return reverse("accounts:first_password_change")
    if user.is_staff_member:
        return reverse("backoffice:home")
    if len(exam_numbers_of(user)) > 1:
        return reverse("accounts:choose_exam_number")
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("portal:candidate_home")


def register(request):
    if request.user.is_authenticated:
        return redirect("portal:candidate_home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = candidate_register(real_name=data["real_name"], id_number=data["id_number"], phone=data["phone"],
                                      sms_code=data["sms_code"], password=data["password"], district=data["district"])
        except AccountError as exc:
            form.add_error(exc.field, exc.message)
        else:
            session_start(request=request, user=user)
            messages.success(request, "注册成功，欢迎使用考生服务平台。")
            return redirect("portal:candidate_home")
    return render(request, "accounts/register.html", {
        "form": form,
        "sms_form": SmsSendForm(),
        "sms": sms_button_context(purpose="register"),
        "password_rules": password_rules_text(exam_type=User.ExamType.SELF_STUDY),
    })


def login_view(request):
    if request.user.is_authenticated:
        return redirect(_after_login_url(request, request.user))
    mode = request.GET.get("mode") or request.POST.get("mode") or "password"
    password_form = PasswordLoginForm(request.POST if request.method == "POST" and mode == "password" else None)
    sms_form = SmsLoginForm(request.POST if request.method == "POST" and mode == "sms" else None)
    if request.method == "POST" and mode == "password" and password_form.is_valid():
        user = authenticate(request, identifier=password_form.cleaned_data["identifier"],
                            password=password_form.cleaned_data["password"], kind=User.Kind.CANDIDATE)
        if user is None:
            password_form.add_error(None, "账号或密码错误。连续多次错误将暂时锁定登录。")
        else:
            session_start(request=request, user=user)
            return redirect(_after_login_url(request, user))
    if request.method == "POST" and mode == "sms" and sms_form.is_valid():
        try:
            user = candidate_login_by_sms(request=request, phone=sms_form.cleaned_data["phone"],
                                          sms_code=sms_form.cleaned_data["sms_code"])
        except AccountError as exc:
            sms_form.add_error(exc.field, exc.message)
        else:
            return redirect(_after_login_url(request, user))
    return render(request, "accounts/login.html", {
        "mode": mode,
        "password_form": password_form,
        "sms_form": sms_form,
        "sms_send_form": SmsSendForm(),
        "sms": sms_button_context(purpose="login"),
        "next": request.GET.get("next", ""),
    })


@require_POST
def logout_view(request):
    was_staff = request.user.is_authenticated and request.user.is_staff_member
    logout(request)
    messages.info(request, "您已安全退出。")
    return redirect("backoffice:login" if was_staff else "portal:home")


@login_required
def choose_exam_number(request):
    numbers = exam_numbers_of(request.user)
    if request.method == "POST":
        try:
            chosen = acting_exam_number_choose(request=request, user=request.user, number=request.POST.get("number", ""))
        except AccountError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"当前办理业务的准考证号：{chosen.number}")
            return redirect("portal:candidate_home")
    return render(request, "accounts/choose_exam_number.html", {"numbers": numbers})


@login_required
def first_password_change(request):
    user = request.user
    form = FirstPasswordChangeForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        password_set(user=user, new_password=form.cleaned_data["new_password"], request=request)
        messages.success(request, "密码已修改，请牢记新密码。")
        return redirect(_after_login_url(request, user))
    return render(request, "accounts/first_password_change.html", {"form": form})
