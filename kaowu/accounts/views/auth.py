from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kaowu.verification.forms import SmsSendForm
from kaowu.verification.views import sms_button_context

from ..forms.auth import FirstPasswordChangeForm, PasswordLoginForm, RegistrationForm, SmsLoginForm
from ..models import User
from ..passwords import password_rules_text
from ..services import AccountError
from ..services.login import (
    acting_exam_number_choose,
    candidate_login_by_sms,
    exam_numbers_of,
    session_start,
    wechat_login_begin,
    wechat_login_progress,
)
from ..services.passwords import password_set
from ..services.registration import candidate_register
from ..services.wechat import WECHAT_STATE_MAX_AGE_SECONDS, WeChatStatus, wechat_state_seconds_left
from ..wechat import WeChatError, wechat_available
from .wechat_qr import wechat_qr_context


def _safe_next(request, target: str | None) -> str:
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return ""


def after_login_url(request, user, *, next_url: str | None = None):
    """Where a candidate goes once signed in (by password, SMS code or WeChat): the first password
    change, the choice of 准考证号, else `next_url` (default: the request's `next`) or 个人中心."""
    if user.must_change_password:
        return reverse("accounts:first_password_change")
    if user.is_staff_member:
        return reverse("backoffice:home")
    if len(exam_numbers_of(user)) > 1:
        return reverse("accounts:choose_exam_number")
    if next_url is None:
        next_url = request.POST.get("next") or request.GET.get("next")
    return _safe_next(request, next_url) or reverse("portal:candidate_home")


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
            messages.success(request, gettext("注册成功，欢迎使用考生服务平台。"))
            return redirect("portal:candidate_home")
    return render(request, "accounts/register.html", {
        "form": form,
        "sms_form": SmsSendForm(),
        "sms": sms_button_context(purpose="register"),
        "password_rules": password_rules_text(exam_type=User.ExamType.SELF_STUDY),
    })


LOGIN_MODES = ("password", "sms", "wechat")


def login_view(request):
    if request.user.is_authenticated:
        return redirect(after_login_url(request, request.user))
    wechat_open = wechat_available()
    mode = request.GET.get("mode") or request.POST.get("mode") or "password"
    if mode not in LOGIN_MODES or (mode == "wechat" and not wechat_open):
        mode = "password"
    password_form = PasswordLoginForm(request.POST if request.method == "POST" and mode == "password" else None)
    sms_form = SmsLoginForm(request.POST if request.method == "POST" and mode == "sms" else None)
    if request.method == "POST" and mode == "password" and password_form.is_valid():
        user = authenticate(request, identifier=password_form.cleaned_data["identifier"],
                            password=password_form.cleaned_data["password"], kind=User.Kind.CANDIDATE)
        if user is None:
            password_form.add_error(None, gettext("账号或密码错误。连续多次错误将暂时锁定登录。"))
        else:
            session_start(request=request, user=user)
            return redirect(after_login_url(request, user))
    if request.method == "POST" and mode == "sms" and sms_form.is_valid():
        try:
            user = candidate_login_by_sms(request=request, phone=sms_form.cleaned_data["phone"],
                                          sms_code=sms_form.cleaned_data["sms_code"])
        except AccountError as exc:
            sms_form.add_error(exc.field, exc.message)
        else:
            return redirect(after_login_url(request, user))
    next_url = request.POST.get("next") or request.GET.get("next", "")
    return render(request, "accounts/login.html", {
        "mode": mode,
        "password_form": password_form,
        "sms_form": sms_form,
        "sms_send_form": SmsSendForm(),
        "sms": sms_button_context(purpose="login"),
        "next": next_url,
        "wechat_open": wechat_open,
        "wechat": _wechat_login_context(request, next_url=next_url) if mode == "wechat" else None,
    })


# --- 微信扫码登录 --------------------------------------------------------------------------------

def _wechat_refresh_url(next_url: str) -> str:
    return reverse("accounts:login") + "?" + urlencode({"mode": "wechat", **({"next": next_url} if next_url else {})})


def _wechat_login_context(request, *, next_url: str) -> dict:
    """The 微信扫码登录 tab: a new QR code for this browser, and its waiting status."""
    safe_next = _safe_next(request, next_url)
    context = {"refresh_url": _wechat_refresh_url(safe_next)}
    try:
        state = wechat_login_begin(request=request, next_url=safe_next)
        context.update(wechat_qr_context(request, state=state, title=gettext("微信扫码登录二维码")))
    except WeChatError as exc:
        context["unavailable"] = str(exc)
    else:
        context["entry"] = {"status": WeChatStatus.PENDING}
        context["seconds_left"] = WECHAT_STATE_MAX_AGE_SECONDS
        context["time_left"] = _minutes_seconds(WECHAT_STATE_MAX_AGE_SECONDS)
    return context


def _minutes_seconds(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


@never_cache
def wechat_login_status(request):
    """Polled every 2 s by the 微信扫码登录 tab: signs this browser in once the WeChat that scanned
    the QR code agreed and is bound to a candidate account, then moves on by itself."""
    if not wechat_available():
        raise Http404
    entry = wechat_login_progress(request=request)
    if request.user.is_authenticated:
        url = after_login_url(request, request.user, next_url=(entry or {}).get("next", ""))
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)
    if not request.htmx:
        return redirect(_wechat_refresh_url(""))
    seconds_left = wechat_state_seconds_left(entry) if entry else 0
    return render(request, "accounts/_wechat_login_status.html", {
        "entry": entry,
        "seconds_left": seconds_left,
        "time_left": _minutes_seconds(seconds_left),
        "refresh_url": _wechat_refresh_url((entry or {}).get("next", "")),
    })


@require_POST
def logout_view(request):
    was_staff = request.user.is_authenticated and request.user.is_staff_member
    logout(request)
    messages.info(request, gettext("您已安全退出。"))
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
            messages.success(request, gettext("当前办理业务的准考证号：%(number)s") % {"number": chosen.number})
            return redirect("portal:candidate_home")
    return render(request, "accounts/choose_exam_number.html", {"numbers": numbers})


@login_required
def first_password_change(request):
    user = request.user
    form = FirstPasswordChangeForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        password_set(user=user, new_password=form.cleaned_data["new_password"], request=request)
        messages.success(request, gettext("密码已修改，请牢记新密码。"))
        return redirect(after_login_url(request, user))
    return render(request, "accounts/first_password_change.html", {"form": form})
