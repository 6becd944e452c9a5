import time

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from kaowu.verification.forms import SmsSendForm
from kaowu.verification.views import sms_button_context

from ..forms.enrolled import EnrolledActivateForm, EnrolledClaimForm
from ..models import User
from ..passwords import password_rules_text
from ..services import AccountError
from ..services.enrolled import enrolled_account_activate, enrolled_account_find
from ..services.login import session_start

SESSION_CLAIM = "enrolled_claim"
CLAIM_MINUTES = 15


def _claimed_user(request) -> User | None:
    claim = request.session.get(SESSION_CLAIM)
    if not claim or time.time() - claim["at"] > CLAIM_MINUTES * 60:
        request.session.pop(SESSION_CLAIM, None)
        return None
    return User.objects.filter(pk=claim["user_id"], kind=User.Kind.CANDIDATE).first()


def enrolled_claim(request):
    """我是在籍考生 step 1: 身份证号 + 姓名 + 准考证号."""
    if request.user.is_authenticated:
        return redirect("portal:candidate_home")
    form = EnrolledClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = enrolled_account_find(id_number=form.cleaned_data["id_number"], real_name=form.cleaned_data["real_name"],
                                         exam_number=form.cleaned_data["exam_number"])
        except AccountError as exc:
            form.add_error(None, exc.message)
        else:
            request.session[SESSION_CLAIM] = {"user_id": user.pk, "at": time.time()}
            return redirect("accounts:enrolled_activate")
    return render(request, "accounts/enrolled/claim.html", {"form": form, "step": 1})


def enrolled_activate(request):
    """Step 2: bind the phone and set the login password; then sign in and go to the 两照 check."""
    user = _claimed_user(request)
    if user is None:
        messages.warning(request, gettext("请先核对在籍考生信息（身份证号、姓名、准考证号）。"))
        return redirect("accounts:enrolled_claim")
    form = EnrolledActivateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolled_account_activate(user=user, phone=form.cleaned_data["phone"], sms_code=form.cleaned_data["sms_code"],
                                      password=form.cleaned_data["password"])
        except AccountError as exc:
            form.add_error(exc.field, exc.message)
        else:
            request.session.pop(SESSION_CLAIM, None)
            session_start(request=request, user=user)
            messages.success(request, gettext("登录密码已设置。请上传“两照”完成身份认证，认证通过后即可办理各项业务。"))
            return redirect("identity:overview")
    return render(request, "accounts/enrolled/activate.html", {
        "form": form, "step": 2, "claimed": user,
        "sms_form": SmsSendForm(), "sms": sms_button_context(purpose="register"),
        "password_rules": password_rules_text(exam_type=user.exam_type),
    })
