"""账号申诉 pages (no login: the candidate lost the bound phone): 验证身份 → 选择申诉方式 →
人脸识别申诉 (QR code, polled) or 材料辅助申诉 (form with video) → 申诉进度. And the development face
check provider's phone page (支付宝人脸核验)."""

import segno
from django.conf import settings
from django.contrib import messages
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaowu.accounts.models import User
from kaowu.core.http import client_ip, public_url
from kaowu.core.masking import mask_id_number
from kaowu.verification.forms import SmsSendForm
from kaowu.verification.models import VerificationCode
from kaowu.verification.views import sms_button_context

from . import services
from .facecheck import DevFaceCheckProvider, FaceCheckError, dev_face_check_enabled, face_check_provider
from .forms import FaceAppealForm, IdentifyForm, MaterialAppealForm, ProgressQueryForm
from .models import FaceCheck
from .progress import progress_context

SESSION_IDENTITY = "appeal_identity"
SESSION_FACE = "appeal_face_check"
Purpose = VerificationCode.Purpose


def _steps(current: int) -> list[dict]:
    labels = [gettext("验证身份"), gettext("选择申诉方式"), gettext("填写申诉信息"), gettext("提交申诉")]
    return [{"label": label, "state": "is-done" if i < current else ("is-current" if i == current else "")}
            for i, label in enumerate(labels)]


def _identity(request) -> User | None:
    data = request.session.get(SESSION_IDENTITY)
    if not isinstance(data, dict) or timezone.now().timestamp() - data.get("at", 0) > services.IDENTITY_MAX_AGE_SECONDS:
        return None
    return User.objects.filter(pk=data.get("user_id"), kind=User.Kind.CANDIDATE, is_active=True).first()


def _forget(request) -> None:
    request.session.pop(SESSION_IDENTITY, None)
    request.session.pop(SESSION_FACE, None)


def _identity_required(view):
    def wrapper(request, *args, **kwargs):
        user = _identity(request)
        if user is None:
            _forget(request)
            if request.htmx:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = reverse("appeals:start")
                return response
            messages.info(request, gettext("请先验证身份（验证后30分钟内完成申诉）。"))
            return redirect("appeals:start")
        request.appeal_user = user
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _who(user: User) -> dict:
    return {"real_name": user.real_name, "id_number": mask_id_number(user.id_number)}


@never_cache
@require_http_methods(["GET", "POST"])
def start(request):
    """验证身份: 身份证号 + 姓名 + 图形验证码."""
    form = IdentifyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.appeal_identify(id_number=form.cleaned_data["id_number"],
                                            real_name=form.cleaned_data["real_name"], ip=client_ip(request))
        except services.AppealError as exc:
            form.add_error(None, exc.message)
        else:
            _forget(request)
            request.session[SESSION_IDENTITY] = {"user_id": user.pk, "at": timezone.now().timestamp()}
            return redirect("appeals:choose")
    return render(request, "appeals/start.html", {"form": form, "steps": _steps(0)})


@never_cache
@require_GET
@_identity_required
def choose(request):
    return render(request, "appeals/choose.html", {"who": _who(request.appeal_user), "steps": _steps(1)})


# --- 人脸识别申诉 ----------------------------------------------------------------------------------

def _current_check(request) -> FaceCheck | None:
    token = request.session.get(SESSION_FACE)
    if not token:
        return None
    return FaceCheck.objects.filter(token=token, user=request.appeal_user).first()


def phone_url(request, path: str) -> str:
    """The QR code's address: a phone must reach it (KAOWU_PUBLIC_BASE_URL when the desktop uses 127.0.0.1)."""
    return public_url(path, request=request)


def _panel(request, check: FaceCheck | None, *, error: str = "") -> dict:
    context = {"check": check, "error": error, "show_link": False}
    if check is not None and check.status == FaceCheck.Status.PENDING:
        url = phone_url(request, check.qr_url)
        context.update(
            qr_url=url,
            qr_svg=mark_safe(segno.make(url, error="m").svg_inline(scale=4, border=2, dark="#1f2937",
                                                                  svgclass="qr__img", title=gettext("人脸识别二维码"))),
            seconds_left=max(0, int((check.expires_at - timezone.now()).total_seconds() + 0.999)),
            show_link=isinstance(face_check_provider(), DevFaceCheckProvider),
        )
    return context


@never_cache
@require_http_methods(["GET", "POST"])
@_identity_required
def face(request):
    """支付宝人脸识别申诉: the new phone and its code, and the face check panel; 提交 once it passed."""
    user = request.appeal_user
    check = _current_check(request)
    if check is not None:
        check = services.face_check_refresh(check=check)
    form = FaceAppealForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if check is None or check.status != FaceCheck.Status.PASSED:
            form.add_error(None, gettext("请先点击“获取人脸识别二维码”，使用支付宝扫码完成人脸识别。"))
        else:
            try:
                services.face_appeal_complete(check=check, new_phone=form.cleaned_data["phone"],
                                              sms_code=form.cleaned_data["sms_code"], request=request)
            except services.AppealError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                _forget(request)
                return render(request, "appeals/face_done.html", {"who": _who(user), "steps": _steps(3)})
    return render(request, "appeals/face.html", {
        "form": form, "who": _who(user), "steps": _steps(2), "sms_form": SmsSendForm(),
        "sms": sms_button_context(purpose=Purpose.APPEAL_NEW_PHONE), **_panel(request, check),
    }, status=400 if request.method == "POST" else 200)


@never_cache
@require_POST
@_identity_required
def face_start(request):
    """获取人脸识别二维码 (htmx): a new check; the panel shows its QR code and polls."""
    try:
        check = services.face_check_start(user=request.appeal_user, ip=client_ip(request))
    except services.AppealError as exc:
        return render(request, "appeals/_face_panel.html", _panel(request, None, error=exc.message))
    request.session[SESSION_FACE] = check.token
    return render(request, "appeals/_face_panel.html", _panel(request, check))


@never_cache
@require_GET
@_identity_required
def face_status(request):
    """Polled every 2 s while the QR code is shown: pending, 已通过, 未通过 or 已过期."""
    check = _current_check(request)
    if check is not None:
        check = services.face_check_refresh(check=check)
    return render(request, "appeals/_face_panel.html", _panel(request, check))


@never_cache
@require_http_methods(["GET", "POST"])
def dev_face_check(request, session_id: str):
    """支付宝人脸核验 (development only): what the Alipay app shows after scanning the QR code."""
    provider = face_check_provider()
    if not dev_face_check_enabled() or not isinstance(provider, DevFaceCheckProvider):
        raise Http404
    entry = provider.peek(session_id)
    error = "" if entry is not None else gettext("核验请求不存在或已失效，请在电脑上重新获取二维码")
    if request.method == "POST" and entry is not None:
        action = request.POST.get("action")
        try:
            entry = provider.decide(session_id, passed=action == "pass")
        except FaceCheckError as exc:
            error = str(exc)
    seconds_left = max(0, int(entry["expires_at"] - timezone.now().timestamp())) if entry else 0
    return render(request, "appeals/dev/face_check.html", {"entry": entry, "error": error,
                                                           "seconds_left": seconds_left})


# --- 材料辅助申诉 ----------------------------------------------------------------------------------

class VideoSizeLimit(FileUploadHandler):
    """Stops reading an upload beyond the video limit (the rest of the body is discarded), so a huge
    file never reaches the disk; the view tells the candidate."""

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > services.VIDEO_MAX_BYTES + 1:
            self.request.appeal_too_big = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def _too_big_message() -> str:
    return gettext("视频大小超过%(limit)sMB的限制，请缩短视频后重新录制") % {
        "limit": services.VIDEO_MAX_BYTES // 1024 // 1024}


@never_cache
@csrf_exempt
def material(request):
    # Upload handlers must be set before the body is read, and so before CSRF middleware reads it.
    request.appeal_too_big = False
    request.upload_handlers.insert(0, VideoSizeLimit(request))
    return _material(request)


@csrf_protect
@require_http_methods(["GET", "POST"])
@_identity_required
def _material(request):
    """材料辅助申诉: 新手机号 + 短信验证码, 所属区县, 报考考试, 申诉原因, MP4 视频 → 区县招办审核."""
    user = request.appeal_user
    candidate = getattr(user, "candidate", None)
    initial = {"district": candidate.district.code if candidate else "", "exam_type": user.exam_type}
    if request.method == "POST":
        form = MaterialAppealForm(request.POST, request.FILES, initial=initial)
        if request.appeal_too_big:  # the upload was cut off at the limit (fields after it are lost too)
            form.is_valid()
            form.errors.pop("video", None)
            form.add_error("video", _too_big_message())
        elif form.is_valid():
            data = form.cleaned_data
            try:
                application = services.material_appeal_submit(
                    user=user, new_phone=data["phone"], sms_code=data["sms_code"], district_code=data["district"],
                    exam_type=data["exam_type"], reason=data["reason"], video=data["video"], request=request)
            except services.AppealError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                _forget(request)
                messages.success(request, gettext("申诉已提交，申诉编号 %(number)s。审核结果将以短信通知新手机号，请牢记申诉编号以便查询进度。")
                                 % {"number": application.number})
                return redirect("appeals:progress", token=services.appeal_progress_token(application))
    else:
        form = MaterialAppealForm(initial=initial)
    return render(request, "appeals/material.html", {
        "form": form, "who": _who(user), "steps": _steps(2), "sms_form": SmsSendForm(),
        "sms": sms_button_context(purpose=Purpose.APPEAL_NEW_PHONE),
        "max_mb": services.VIDEO_MAX_BYTES // 1024 // 1024, "max_seconds": settings.KAOWU_APPEAL_VIDEO_MAX_SECONDS,
    }, status=400 if request.method == "POST" else 200)


# --- 申诉进度 --------------------------------------------------------------------------------------

@never_cache
@require_http_methods(["GET", "POST"])
def progress_query(request):
    form = ProgressQueryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        application = services.appeal_find(number=form.cleaned_data["number"], id_number=form.cleaned_data["id_number"])
        if application is None:
            form.add_error(None, gettext("未找到该申诉，请核对申诉编号和身份证号。"))
        else:
            return redirect("appeals:progress", token=services.appeal_progress_token(application))
    return render(request, "appeals/progress_query.html", {"form": form})


@never_cache
@require_GET
def progress(request, token: str):
    application = services.appeal_from_token(token)
    if application is None:
        raise Http404
    return render(request, "appeals/progress.html", progress_context(application))
