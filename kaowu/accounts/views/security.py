"""安全中心: 修改密码, 更换手机号, 绑定邮箱, 绑定微信, 退出所有设备."""

import re
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kaowu.core.http import client_ip
from kaowu.core.masking import mask_email, mask_phone
from kaowu.verification.forms import SmsSendForm
from kaowu.verification.models import VerificationCode
from kaowu.verification.services import VerificationError, resend_wait_seconds
from kaowu.verification.views import sms_button_context

from ..forms.security import (
    EmailBindForm,
    NewPhoneForm,
    OldPhoneCodeForm,
    PasswordChangeForm,
    PasswordConfirmForm,
)
from ..services import AccountError
from ..services import security as svc
from ..services.login import wechat_login_progress
from ..services.wechat import (
    WeChatPurpose,
    WeChatStatus,
    wechat_authorization_receive,
    wechat_session_nonce,
    wechat_state_check,
    wechat_state_peek,
)
from ..wechat import DevWeChatProvider, WeChatError, dev_wechat_enabled, wechat_available, wechat_provider
from .auth import after_login_url
from .wechat_qr import wechat_qr_context

Purpose = VerificationCode.Purpose
SESSION_PHONE_VERIFIED = "security_phone_verified"
WECHAT_BOUND_MESSAGE = _("微信绑定成功，今后可使用该微信扫码登录。")
PHONE_STEP_MAX_AGE_SECONDS = 600


def candidate_required(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.is_candidate:
            return redirect("backoffice:home")
        return view(request, *args, **kwargs)

    return wrapper


def _add_error(form, exc: AccountError, default_field: str | None = None) -> None:
    field = exc.field if exc.field in form.fields else default_field
    form.add_error(field, exc.message)


def _steps(labels: list[str], current: int) -> list[dict]:
    return [{"label": label, "state": "is-done" if i < current else ("is-current" if i == current else "")}
            for i, label in enumerate(labels)]


@never_cache
@candidate_required
def security_centre(request):
    return render(request, "accounts/security/centre.html", {"wechat_available": wechat_available()})


# --- 修改密码 ------------------------------------------------------------------------------------

@never_cache
@candidate_required
def password_change_view(request):
    form = PasswordChangeForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            svc.password_change(user=request.user, old_password=form.cleaned_data["old_password"],
                                new_password=form.cleaned_data["new_password"], request=request)
        except AccountError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, gettext("密码已修改，请牢记新密码。该账号在其他设备上的登录已退出。"))
            return redirect("accounts:security")
    return render(request, "accounts/security/password.html", {"form": form})


# --- 更换手机号 ----------------------------------------------------------------------------------

PHONE_STEPS = [_("验证原手机"), _("绑定新手机"), _("完成")]


def _code_button(*, button_id: str, send_url: str, label: str = _("获取验证码"), wait: int = 0,
                 sent_message: str = "", error: str = "") -> dict:
    return {"button_id": button_id, "send_url": send_url, "label": label, "wait": wait,
            "sent_message": sent_message, "error": error}


@never_cache
@candidate_required
def phone_change_start(request):
    """Step 1: a code to the phone bound now (or the password, for an account without a phone)."""
    user = request.user
    form_class = OldPhoneCodeForm if user.phone else PasswordConfirmForm
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.phone_old_verify(user=user, code=form.cleaned_data.get("sms_code", ""),
                                 password=form.cleaned_data.get("password", ""))
        except AccountError as exc:
            _add_error(form, exc)
        else:
            request.session[SESSION_PHONE_VERIFIED] = {"user_id": user.pk, "at": timezone.now().timestamp()}
            return redirect("accounts:security_phone_new")
    wait = resend_wait_seconds(target=user.phone, purpose=Purpose.CHANGE_PHONE_OLD) if user.phone else 0
    return render(request, "accounts/security/phone_old.html", {
        "form": form,
        "steps": _steps(PHONE_STEPS, 0),
        "code_button": _code_button(button_id="old-phone-code", send_url=reverse("accounts:security_phone_send_code"),
                                    wait=wait),
    })


@require_POST
@candidate_required
def phone_old_code_send_view(request):
    """获取验证码 for the phone bound now; the number comes from the account, never from the form."""
    user = request.user
    context = _code_button(button_id="old-phone-code", send_url=reverse("accounts:security_phone_send_code"))
    try:
        context["wait"] = svc.phone_old_code_send(user=user, ip=client_ip(request))
        context["sent_message"] = gettext("验证码已发送至 %(phone)s，%(minutes)s分钟内有效。") % {
            "phone": mask_phone(user.phone), "minutes": settings.KAOWU_SMS_CODE_TTL_SECONDS // 60}
    except VerificationError as exc:
        context["error"], context["wait"] = str(exc), getattr(exc, "seconds_left", 0)
    except AccountError as exc:
        context["error"] = exc.message
    if not request.htmx:
        if context["error"]:
            messages.error(request, context["error"])
        else:
            messages.info(request, context["sent_message"])
        return redirect("accounts:security_phone")
    return render(request, "accounts/security/_code_button.html", context)


def _phone_step_one_done(request) -> bool:
    done = request.session.get(SESSION_PHONE_VERIFIED)
    return (isinstance(done, dict) and done.get("user_id") == request.user.pk
            and timezone.now().timestamp() - done.get("at", 0) <= PHONE_STEP_MAX_AGE_SECONDS)


@never_cache
@candidate_required
def phone_change_new(request):
    """Step 2: the new phone and its own code (sent by the shared 获取验证码 endpoint, with captcha)."""
    if not _phone_step_one_done(request):
        request.session.pop(SESSION_PHONE_VERIFIED, None)
        messages.info(request, gettext("请先验证原手机号（验证后10分钟内完成更换）。"))
        return redirect("accounts:security_phone")
    form = NewPhoneForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = svc.phone_change(user=request.user, new_phone=form.cleaned_data["phone"],
                                    sms_code=form.cleaned_data["sms_code"], request=request)
        except AccountError as exc:
            _add_error(form, exc)
        else:
            request.session.pop(SESSION_PHONE_VERIFIED, None)
            messages.success(request, gettext("手机号已更换为 %(phone)s，今后请使用新手机号登录和找回密码。")
                             % {"phone": mask_phone(user.phone)})
            return redirect("accounts:security")
    return render(request, "accounts/security/phone_new.html", {
        "form": form,
        "steps": _steps(PHONE_STEPS, 1),
        "sms_form": SmsSendForm(),
        "sms": sms_button_context(purpose=Purpose.CHANGE_PHONE_NEW),
    })


# --- 绑定邮箱 ------------------------------------------------------------------------------------

def _email_page(request, *, form=None, unbind_form=None, status=200):
    return render(request, "accounts/security/email.html", {
        "form": form or EmailBindForm(),
        "unbind_form": unbind_form or PasswordConfirmForm(prefix="unbind"),
    }, status=status)


@never_cache
@candidate_required
def email_bind_view(request):
    form = EmailBindForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            svc.email_link_send(
                user=request.user, email=email, request=request,
                link_for=lambda token: request.build_absolute_uri(reverse("accounts:security_email_verify", args=[token])),
            )
        except AccountError as exc:
            _add_error(form, exc, "email")
        else:
            messages.success(request, gettext("验证邮件已发送至 %(email)s，请在24小时内打开邮件中的链接完成绑定。"
                                              "没有收到？请检查垃圾邮件，或稍后重新发送。") % {"email": mask_email(email)})
            return redirect("accounts:security_email")
    return _email_page(request, form=form)


@require_POST
@candidate_required
def email_unbind_view(request):
    form = PasswordConfirmForm(request.POST, prefix="unbind")
    if form.is_valid():
        try:
            svc.email_unbind(user=request.user, password=form.cleaned_data["password"], request=request)
        except AccountError as exc:
            _add_error(form, exc, "password")
        else:
            messages.success(request, gettext("邮箱已解绑。"))
            return redirect("accounts:security")
    return _email_page(request, unbind_form=form)


@never_cache
def email_verify_view(request, token):
    """The link from the verification e-mail; works signed in or not."""
    try:
        user = svc.email_verify(token=token, request=request)
    except AccountError as exc:
        return render(request, "accounts/security/email_verified.html", {"ok": False, "message": exc.message},
                      status=400)
    return render(request, "accounts/security/email_verified.html", {"ok": True, "email": user.email})


# --- 绑定微信 ------------------------------------------------------------------------------------

def _wechat_page(request, *, unbind_form=None):
    user = request.user
    context = {"unbind_form": unbind_form or PasswordConfirmForm(prefix="unbind")}
    if not user.wechat_openid:
        try:
            context.update(wechat_qr_context(request, state=svc.wechat_bind_begin(request=request),
                                             title=gettext("微信扫码授权二维码")))
        except WeChatError as exc:
            context["unavailable"] = str(exc)
        else:
            context["pending_entry"] = {"status": WeChatStatus.PENDING}
    return render(request, "accounts/security/wechat.html", context)


@never_cache
@candidate_required
def wechat_bind_view(request):
    return _wechat_page(request)


def _go(request, url_name: str):
    """Leave the page: htmx polls follow HX-Redirect, plain requests a 302."""
    url = reverse(url_name)
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@never_cache
@candidate_required
def wechat_bind_status(request):
    """Polled every 2 s by the bind page: binds once WeChat authorised, then moves on."""
    entry = svc.wechat_bind_progress(request=request)
    if request.user.wechat_openid:
        if entry and entry["status"] == WeChatStatus.BOUND:
            messages.success(request, WECHAT_BOUND_MESSAGE)
        svc.wechat_bind_forget(request=request)
        return _go(request, "accounts:security")
    return render(request, "accounts/security/_wechat_status.html", {"entry": entry})


@never_cache
def wechat_callback(request):
    """Where WeChat (or the development 模拟授权 page) sends the browser after 同意 / 拒绝, for a QR
    code of the bind page or of the login page. Opened on the phone that scanned the QR code, or
    in the browser that shows it — only that browser's session acts on the authorisation."""
    state = request.GET.get("state", "")
    seen = wechat_state_peek(state=state)
    try:
        seen, entry = wechat_authorization_receive(state=state, code=request.GET.get("code") or None)
    except AccountError as exc:
        if seen and seen.purpose == WeChatPurpose.LOGIN and _shows_login_qr(request, seen.nonce):
            messages.error(request, exc.message)
            return redirect("accounts:login")
        if (seen and seen.purpose == WeChatPurpose.BIND and request.user.is_authenticated
                and wechat_session_nonce(request=request, purpose=WeChatPurpose.BIND)):
            messages.error(request, exc.message)
            return redirect("accounts:security_wechat")
        return _wechat_result(request, ok=False, message=exc.message, purpose=seen and seen.purpose, status=400)
    if seen.purpose == WeChatPurpose.LOGIN:
        return _wechat_login_callback(request, nonce=seen.nonce, entry=entry)
    if request.user.is_authenticated and request.user.pk == entry["user_id"]:
        # Opened where the account is signed in (a new tab of the bind page): bind straight away.
        entry = svc.wechat_bind_progress(request=request, nonce=seen.nonce) or entry
        svc.wechat_bind_forget(request=request, nonce=seen.nonce)
        if entry["status"] == WeChatStatus.BOUND:
            messages.success(request, WECHAT_BOUND_MESSAGE)
            return redirect("accounts:security")
        if entry["status"] == WeChatStatus.DENIED:
            messages.info(request, gettext("您已拒绝微信授权，账号未绑定微信。"))
            return redirect("accounts:security")
        messages.error(request, entry.get("error") or gettext("微信绑定失败，请刷新二维码后重试"))
        return redirect("accounts:security_wechat")
    if entry["status"] == WeChatStatus.DENIED:
        return _wechat_result(request, ok=False, message=gettext("您已拒绝授权，账号未绑定微信。"), purpose=seen.purpose)
    return _wechat_result(request, ok=True, message=gettext("授权成功！请回到电脑上的绑定页面，页面将自动完成绑定。"),
                          purpose=seen.purpose)


def _shows_login_qr(request, nonce: str) -> bool:
    """This browser is the one whose login page shows the QR code of `nonce`."""
    return wechat_session_nonce(request=request, purpose=WeChatPurpose.LOGIN) == nonce


def _wechat_login_callback(request, *, nonce: str, entry: dict):
    if _shows_login_qr(request, nonce):
        # The login page's own browser (a new tab, or WeChat's redirect on a computer): sign in here.
        entry = wechat_login_progress(request=request, nonce=nonce) or entry
        if request.user.is_authenticated:
            return redirect(after_login_url(request, request.user, next_url=entry.get("next", "")))
        # Back to the login page without a new QR code, so a login tab still polling shows the outcome too.
        if entry["status"] == WeChatStatus.DENIED:
            messages.info(request, gettext("您已拒绝微信授权，未登录。"))
        else:
            messages.error(request, entry.get("error") or gettext("微信登录失败，请刷新二维码后重试"))
        return redirect("accounts:login")
    # The phone that scanned the QR code: the computer's login page signs itself in when it next polls.
    if entry["status"] == WeChatStatus.DENIED:
        return _wechat_result(request, ok=False, message=gettext("您已拒绝授权，未登录。"), purpose=WeChatPurpose.LOGIN)
    return _wechat_result(request, ok=True, message=gettext("授权成功，请回到电脑上的登录页面，页面将自动登录。"),
                          purpose=WeChatPurpose.LOGIN)


def _wechat_result(request, *, ok: bool, message: str, purpose: str | None, status: int = 200):
    return render(request, "accounts/security/wechat_result.html",
                  {"ok": ok, "message": message, "purpose": purpose}, status=status)


@require_POST
@candidate_required
def wechat_unbind_view(request):
    form = PasswordConfirmForm(request.POST, prefix="unbind")
    if form.is_valid():
        try:
            svc.wechat_unbind(user=request.user, password=form.cleaned_data["password"], request=request)
        except AccountError as exc:
            _add_error(form, exc, "password")
        else:
            messages.success(request, gettext("微信已解绑。"))
            return redirect("accounts:security")
    return _wechat_page(request, unbind_form=form)


_DEV_OPENID = re.compile(r"^o[A-Za-z0-9_-]{27}$")


@never_cache
def wechat_dev_authorize(request):
    """模拟微信授权 (development only): what WeChat shows on the phone after scanning the QR code."""
    provider = wechat_provider()
    if not dev_wechat_enabled() or not isinstance(provider, DevWeChatProvider):
        raise Http404
    state = request.POST.get("state") or request.GET.get("state", "")
    openid = request.COOKIES.get(provider.cookie_name, "")
    if not _DEV_OPENID.match(openid):
        openid = provider.new_openid()
    error = ""
    seen = wechat_state_peek(state=state)
    try:
        wechat_state_check(state=state)
    except AccountError as exc:
        error = exc.message
    if request.method == "POST" and not error:
        action = request.POST.get("action")
        if action == "switch":
            openid = provider.new_openid()
        else:
            params = {"state": state}
            if action == "agree":
                params["code"] = provider.code_issue(openid=openid)
            response = redirect(reverse("accounts:wechat_callback") + "?" + urlencode(params))
            response.set_cookie(provider.cookie_name, openid, max_age=365 * 24 * 3600, httponly=True, samesite="Lax")
            return response
    response = render(request, "accounts/security/wechat_dev_authorize.html", {
        "state": state, "openid": openid, "error": error, "purpose": seen and seen.purpose,
    })
    response.set_cookie(provider.cookie_name, openid, max_age=365 * 24 * 3600, httponly=True, samesite="Lax")
    return response


# --- 退出所有设备 --------------------------------------------------------------------------------

@require_POST
@candidate_required
def sign_out_others(request):
    svc.sessions_end_others(user=request.user, request=request)
    messages.success(request, gettext("已退出其他所有设备上的登录，当前设备保持登录。"))
    return redirect("accounts:security")
