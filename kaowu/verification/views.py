from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from kaowu.core.http import client_ip
from kaowu.core.text import Form

from .captcha import captcha_answer, captcha_image
from .forms import CaptchaField, SmsSendForm
from .models import VerificationCode
from .services import VerificationError

Purpose = VerificationCode.Purpose
# Purposes whose number the user types. Flows that send to the account's own phone
# (找回密码, 原手机验证, 放弃报名) send from their own views, never from a typed number.
# 找回准考证号 is not here: its code goes to the phone of the account found by 身份证号 + 姓名, never
# to a typed number (which would let a visitor test whether an ID number belongs to a phone).
TYPED_PHONE_PURPOSES = {Purpose.REGISTER, Purpose.LOGIN, Purpose.CHANGE_PHONE_NEW, Purpose.APPEAL_NEW_PHONE}

# Who decides whether a typed number gets a code (bound or not to an account) is the accounts app, which
# imports this one: it registers its `phone_code_request(*, purpose, phone, ip, user) -> seconds to wait`
# at start-up (AccountsConfig.ready).
_typed_phone_sender = None


def typed_phone_sender_register(send) -> None:
    global _typed_phone_sender
    _typed_phone_sender = send


@never_cache
@require_GET
def captcha_image_view(request, key):
    answer = captcha_answer(key)
    if answer is None:
        raise Http404
    return HttpResponse(captcha_image(answer), content_type="image/png")


@never_cache
@require_GET
def captcha_refresh_view(request):
    name = request.GET.get("name", "captcha")

    class _Form(Form):
        pass

    form = _Form()
    form.fields[name] = CaptchaField()
    return HttpResponse(form[name].as_widget())


def sms_button_context(*, purpose: str, wait: int = 0, sent_message: str = "", error: str = "", send_url=None,
                       include: str = ""):
    return {
        "purpose": purpose,
        "wait": wait,
        "sent_message": sent_message,
        "error": error,
        "send_url": send_url or reverse("verification:sms_send", args=[purpose]),
        "include": include,
    }


@require_POST
def sms_send_view(request, purpose):
    """htmx endpoint behind every 获取验证码 button for a typed phone number."""
    if purpose not in TYPED_PHONE_PURPOSES:
        raise Http404
    form = SmsSendForm(request.POST)
    context = sms_button_context(purpose=purpose)
    if not form.is_valid():
        error = next(iter(form.errors.get("phone", []) or form.errors.get("captcha", []) or [gettext("请检查输入")]))
        context["error"] = error
        response = render(request, "verification/sms_button.html", context)
        # A wrong or used captcha must be replaced on the page.
        response["HX-Trigger"] = "captcha-refresh"
        return response
    try:
        context["wait"] = _typed_phone_sender(
            purpose=purpose, phone=form.cleaned_data["phone"], ip=client_ip(request), user=request.user
        )
        context["sent_message"] = gettext("验证码已发送，5分钟内有效。")
    except VerificationError as exc:
        context["error"] = str(exc)
        context["wait"] = getattr(exc, "seconds_left", 0)
    response = render(request, "verification/sms_button.html", context)
    response["HX-Trigger"] = "captcha-refresh"
    return response
