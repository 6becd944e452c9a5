"""找回准考证号 (public, no login): 验证身份 → 短信验证 → 查看准考证号."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from kaowu.core.http import client_ip
from kaowu.core.masking import mask_id_number

from .forms import ExamNumberRecoveryCodeForm, ExamNumberRecoveryStartForm
from .recovery import RecoveryAttempt, RecoveryError, exam_number_recovery_finish, exam_number_recovery_start

SESSION_KEY = "exam_number_recovery"


def _steps(current: int) -> list[dict]:
    labels = [gettext("验证身份"), gettext("短信验证"), gettext("查看准考证号")]
    return [{"label": label, "state": "is-done" if i < current else ("is-current" if i == current else "")}
            for i, label in enumerate(labels)]


def _forget(request) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.pop(SESSION_KEY + ":shown", None)


@never_cache
@require_http_methods(["GET", "POST"])
def recover_start(request):
    """Step 1: 身份证号 + 姓名 + 图形验证码; a valid captcha sends the code."""
    form = ExamNumberRecoveryStartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        id_number, real_name = form.cleaned_data["id_number"], form.cleaned_data["real_name"]
        try:
            attempt, _wait = exam_number_recovery_start(id_number=id_number, real_name=real_name,
                                                        ip=client_ip(request))
        except RecoveryError as exc:
            form.add_error(None, exc.message)
        else:
            _forget(request)
            request.session[SESSION_KEY] = attempt.as_session()
            # What the visitor typed, masked: shown back on step 2 (it says nothing about the account).
            request.session[SESSION_KEY + ":shown"] = {"id_number": mask_id_number(id_number), "real_name": real_name}
            return redirect("exam_number_recovery:verify")
    return render(request, "candidates/recover_start.html", {"form": form, "steps": _steps(0)})


@never_cache
@require_http_methods(["GET", "POST"])
def recover_verify(request):
    """Step 2: the code from the SMS; on success step 3 is rendered here (the numbers are never kept
    in the session and never reachable by a later GET)."""
    attempt = RecoveryAttempt.from_session(request.session.get(SESSION_KEY))
    if attempt is None:
        messages.info(request, gettext("请先输入身份证号和姓名获取验证码。"))
        return redirect("exam_number_recovery:start")
    if attempt.expired:
        _forget(request)
        messages.warning(request, gettext("操作已超时（10分钟内未完成），请重新获取验证码。"))
        return redirect("exam_number_recovery:start")
    shown = request.session.get(SESSION_KEY + ":shown") or {}
    form = ExamNumberRecoveryCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            numbers = exam_number_recovery_finish(attempt=attempt, code=form.cleaned_data["code"])
        except RecoveryError as exc:
            form.add_error("code", exc.message)
        else:
            _forget(request)
            return render(request, "candidates/recover_result.html", {
                "numbers": numbers, "shown": shown, "steps": _steps(2)})
    return render(request, "candidates/recover_verify.html", {
        "form": form, "shown": shown, "steps": _steps(1),
        "code_minutes": settings.KAOWU_SMS_CODE_TTL_SECONDS // 60,
    })
