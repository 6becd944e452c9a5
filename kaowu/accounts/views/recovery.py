"""找回密码: 验证账号 → 设置新密码 → 完成 (back at the login page)."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kaowu.core.http import client_ip
from kaowu.core.masking import mask_email, mask_id_number, mask_phone
from kaowu.verification.services import TooSoon, resend_wait_seconds

from ..forms.recovery import RecoveryResetForm, RecoveryStartForm
from ..services import AccountError
from ..services import recovery as reset
from ..services.recovery import METHOD_EMAIL, METHOD_ID_NUMBER, METHOD_PHONE, METHODS, PURPOSE, ResetAttempt

SESSION_KEY = "password_reset"
_MASKS = {METHOD_ID_NUMBER: mask_id_number, METHOD_PHONE: mask_phone, METHOD_EMAIL: mask_email}
TIMED_OUT_MESSAGE = _("操作已超时（10分钟内未完成），请重新验证账号。")


def _steps(current: int) -> list[dict]:
    labels = [gettext("验证账号"), gettext("设置新密码"), gettext("完成")]
    return [{"label": label, "state": "is-done" if i < current else ("is-current" if i == current else "")}
            for i, label in enumerate(labels)]


def _code_button(*, wait: int = 0) -> dict:
    return {"button_id": "reset-resend", "send_url": reverse("accounts:password_reset_resend"),
            "label": gettext("重新获取"), "wait": wait, "sent_message": "", "error": ""}


def _attempt(request) -> ResetAttempt | None:
    data = request.session.get(SESSION_KEY)
    return ResetAttempt.from_session(data) if isinstance(data, dict) else None


def _forget(request) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.pop(SESSION_KEY + ":shown", None)


@never_cache
def password_reset_start(request):
    """Step 1: 身份证号 / 手机号 / 邮箱 + 图形验证码."""
    if request.user.is_authenticated and request.user.is_candidate:
        messages.info(request, gettext("您已登录，可直接在安全中心修改密码。"))
        return redirect("accounts:security_password")
    method = request.POST.get("method") or request.GET.get("method") or METHOD_ID_NUMBER
    form = RecoveryStartForm(request.POST if request.method == "POST" else None, method=method)
    if request.method == "POST" and form.is_valid():
        identifier = form.cleaned_data["identifier"]
        try:
            attempt, _wait = reset.password_reset_start(method=form.method, identifier=identifier, ip=client_ip(request))
        except AccountError as exc:
            form.add_error(None, exc.message)
        else:
            _forget(request)
            request.session[SESSION_KEY] = attempt.as_session()
            # What the visitor typed, masked: shown back on step 2 (it says nothing about the account).
            request.session[SESSION_KEY + ":shown"] = _MASKS[form.method](identifier)
            return redirect("accounts:password_reset_verify")
    return render(request, "accounts/recovery/start.html", {
        "form": form,
        "methods": METHODS,
        "method": form.method,
        "steps": _steps(0),
    })


@never_cache
def password_reset_verify(request):
    """Step 2: the code sent to the account's phone or e-mail, and the new password twice."""
    attempt = _attempt(request)
    if attempt is None:
        messages.info(request, gettext("请先验证需要找回密码的账号。"))
        return redirect("accounts:password_reset")
    if attempt.expired:
        _forget(request)
        messages.warning(request, TIMED_OUT_MESSAGE)
        return redirect(_start_url(attempt))
    form = RecoveryResetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            reset.password_reset_complete(attempt=attempt, code=form.cleaned_data["code"],
                                    new_password=form.cleaned_data["new_password"], request=request)
        except AccountError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            _forget(request)
            messages.success(request, gettext("密码已重置，请使用新密码登录。为保护账号安全，该账号在其他设备上的登录已退出。"))
            return redirect("accounts:login")
    return render(request, "accounts/recovery/verify.html", {
        "form": form,
        "method": attempt.method,
        "method_label": METHODS[attempt.method],
        "shown": request.session.get(SESSION_KEY + ":shown", ""),
        "code_button": _code_button(wait=resend_wait_seconds(target=attempt.shown_key, purpose=PURPOSE)),
        "steps": _steps(1),
        "code_minutes": settings.KAOWU_SMS_CODE_TTL_SECONDS // 60,
    })


def _start_url(attempt: ResetAttempt) -> str:
    return reverse("accounts:password_reset") + f"?method={attempt.method}"


@require_POST
def password_reset_resend_view(request):
    """重新获取 (htmx swaps the button; without JavaScript the page reloads with a message)."""
    attempt = _attempt(request)
    context = _code_button()
    if attempt is None or attempt.expired:
        _forget(request)
        if not request.htmx:
            messages.warning(request, TIMED_OUT_MESSAGE)
            return redirect("accounts:password_reset")
        context["error"] = gettext("操作已超时，请返回上一步重新验证账号。")
        return render(request, "accounts/security/_code_button.html", context)
    try:
        context["wait"] = reset.password_reset_resend(attempt=attempt, ip=client_ip(request))
        context["sent_message"] = gettext("如果该账号存在，验证码已重新发送，请查收。")
    except TooSoon as exc:
        context["wait"], context["error"] = exc.seconds_left, str(exc)
    except AccountError as exc:
        context["error"] = exc.message
    if not request.htmx:
        if context["error"]:
            messages.error(request, context["error"])
        else:
            messages.info(request, context["sent_message"])
        return redirect("accounts:password_reset_verify")
    return render(request, "accounts/security/_code_button.html", context)
