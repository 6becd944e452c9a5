"""身份认证 (candidate side): 阅读告知 → 上传照片 → 提交验证 → 认证结果.

Thin views: parse input with a form, call one service, render. Photos are served only through
`photo`, which checks that the photo belongs to the signed-in candidate."""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaowu.accounts.decorators import candidate_required
from kaowu.accounts.models import User

from . import services
from .forms import ConsentForm, ManualReviewForm, PhotoUploadForm
from .images import KINDS as IMAGE_KINDS
from .models import MANUAL_REVIEW_AFTER_FAILURES, Photo, Verification
from .selectors import verification_kind_for, verification_passed

Status = Verification.Status
Kind = Photo.Kind

# What each status looks like to the candidate: the badge colour and the CSS modifier of the card.
STATUS_TONE = {
    Status.UNVERIFIED: "neutral",
    Status.VERIFYING: "info",
    Status.PASSED: "success",
    Status.FAILED: "danger",
    Status.MANUAL_REVIEW: "warning",
}
# Portrait frame of the 证件照 (width:height), the same proportion as the photo standards' 480×640.
ID_PHOTO_ASPECT = (3, 4)
# An ID card is 85.6 mm × 54 mm.
ID_CARD_ASPECT = (856, 540)


@dataclass(frozen=True)
class PhotoGuide:
    """照片图像采集规范 of one photo: what the slot shows next to the upload."""

    summary: str
    rules: tuple[str, ...]
    sample: str  # the template of the sample outline
    crop_aspect: tuple[int, int] | None = None
    crop_hint: str = ""
    extra: dict = field(default_factory=dict)


PHOTO_GUIDES = {
    Kind.ID_PHOTO: PhotoGuide(
        summary=_("本人近期免冠彩色正面证件照"),
        rules=(
            _("背景为蓝色、白色或浅灰色纯色背景，无杂物"),
            _("人脸居于相框中间，上下左右留有空白，脸部占整张照片的比例不能太大，也不能太小"),
            _("只能有本人一人；正面免冠，不戴墨镜，五官清晰可见"),
            _("光线均匀，不能太暗或模糊，不得美颜或修图"),
        ),
        sample="identity/samples/id_photo.svg",
        crop_aspect=ID_PHOTO_ASPECT,
        crop_hint=_("选择照片后，请拖动蓝色相框（拖动四角可调整大小），使人脸位于虚线椭圆内、四周留有空白；"
                  "“实际照片预览图”即为将要上传的照片。"),
    ),
    Kind.ID_CARD_FRONT: PhotoGuide(
        summary=_("居民身份证人像面（有本人照片的一面）"),
        rules=(
            _("证件平放拍摄，四角完整，不得折叠、裁切或遮挡"),
            _("文字和照片清晰可辨，无反光、无模糊"),
            _("须为本人有效期内的居民身份证"),
        ),
        sample="identity/samples/id_card_front.svg",
    ),
    Kind.ID_CARD_BACK: PhotoGuide(
        summary=_("居民身份证国徽面（有国徽和有效期限的一面）"),
        rules=(
            _("证件平放拍摄，四角完整，不得折叠、裁切或遮挡"),
            _("签发机关和有效期限清晰可辨，无反光、无模糊"),
            _("须在有效期内"),
        ),
        sample="identity/samples/id_card_back.svg",
    ),
    Kind.HANDHELD: PhotoGuide(
        summary=_("本人手持身份证人像面的半身照"),
        rules=(
            _("本人正面半身入镜，双手持身份证人像面置于胸前"),
            _("人脸和身份证均清晰可见，身份证不得遮挡面部"),
            _("照片中只能有本人一人，光线充足，不得美颜或修图"),
        ),
        sample="identity/samples/handheld.svg",
    ),
}


def _verification_of(user: User) -> Verification:
    # A verification that already passed stays the account's verification (e.g. a new candidate who
    # passed “三照” and has since received a 准考证号).
    return verification_passed(user=user) or services.verification_get(user=user, kind=verification_kind_for(user))


def _steps(verification: Verification, *, consented: bool, photos: dict) -> list[dict]:
    labels = [gettext("阅读告知"), gettext("上传照片"), gettext("提交验证"), gettext("认证结果")]
    status = verification.status
    all_photos = all(k in photos for k in verification.required_photos)
    if status == Status.PASSED:
        states = ["is-done"] * 4
    elif status in (Status.VERIFYING, Status.MANUAL_REVIEW):
        states = ["is-done", "is-done", "is-done", "is-current"]
    elif not consented:
        states = ["is-current", "", "", "is-failed" if status == Status.FAILED else ""]
    elif status == Status.FAILED:
        states = ["is-done", "is-current", "", "is-failed"]
    elif all_photos:
        states = ["is-done", "is-done", "is-current", ""]
    else:
        states = ["is-done", "is-current", "", ""]
    notes = {Status.VERIFYING: gettext("认证中"), Status.MANUAL_REVIEW: gettext("待人工审核"), Status.FAILED: gettext("未通过"),
             Status.PASSED: gettext("已通过")}
    steps = [{"label": label, "state": state} for label, state in zip(labels, states, strict=True)]
    if status in notes:
        steps[3]["note"] = notes[status]
    return steps


def _min_size(kind: str) -> tuple[int, int] | None:
    """The intake's minimum width × height of a kind, for the rules and the crop frame's size note."""
    spec = IMAGE_KINDS.get(kind)
    return (spec.min_width, spec.min_height) if spec else None


def _slot(verification: Verification, kind: str, photos: dict, *, error: str = "", editable: bool) -> dict:
    return {
        "min_size": _min_size(kind),
        "max_bytes": settings.KAOWU_UPLOAD_MAX_BYTES,
        "number": verification.required_photos.index(kind) + 1,
        "kind": kind,
        "label": Kind(kind).label,
        "photo": photos.get(kind),
        "guide": PHOTO_GUIDES[kind],
        "errors": [part for part in error.split("；") if part] if error else [],
        "editable": editable,
        "form": PhotoUploadForm(auto_id=f"id_{kind}_%s"),
    }


def _page_context(request, verification: Verification, *, slot_errors: dict | None = None) -> dict:
    consent = services.consent_current(user=request.user)
    photos = services.photos_current(verification=verification)
    editable = consent is not None and verification.status in (Status.UNVERIFIED, Status.FAILED)
    slot_errors = slot_errors or {}
    at_choice = (verification.status == Status.FAILED
                 and verification.automatic_attempts >= MANUAL_REVIEW_AFTER_FAILURES)
    offices = services.manual_review_offices(verification=verification) if at_choice else None
    slots = [_slot(verification, k, photos, error=slot_errors.get(k, ""), editable=editable)
             for k in verification.required_photos]
    return {
        "verification": verification,
        "tone": STATUS_TONE[verification.status],
        "consent": consent,
        "steps": _steps(verification, consented=consent is not None, photos=photos),
        "slots": slots,
        # "证件照、手持身份证半身照", for the sentences that name every photo.
        "slot_labels": gettext("、").join(str(slot["label"]) for slot in slots),
        "photos_complete": all(k in photos for k in verification.required_photos),
        "photos_editable": editable,
        "history": verification.history.select_related("actor").order_by("-created_at", "-id"),
        "manual_after": MANUAL_REVIEW_AFTER_FAILURES,
        "attempts_left": max(MANUAL_REVIEW_AFTER_FAILURES - verification.automatic_attempts, 0),
        "at_choice": at_choice,
        # After three failures the candidate chooses first; 继续上传 (?retry=1) shows the uploads again.
        "show_uploads": editable and (not at_choice or request.GET.get("retry") == "1" or request.method == "POST"),
        "review_form": ManualReviewForm(offices=offices) if at_choice else None,
        "max_upload_mb": _megabytes(settings.KAOWU_UPLOAD_MAX_BYTES),
        "retention_days": settings.KAOWU_IDENTITY_PHOTO_RETENTION_DAYS,
        "identity_js_text": _js_text(),
    }


def _js_text() -> dict:
    """The texts crop.js shows (the crop frame, the in-browser shrinking), in the page's language;
    overview.html renders them as JSON. crop.js keeps the Chinese as its fallback."""
    return {
        "image_alt": gettext("待裁剪的照片"),
        "frame_label": gettext("蓝色相框：拖动移动位置，拖动四角调整大小；也可用方向键移动，加号、减号键缩放"),
        "preview_label": gettext("实际照片预览图"),
        "upload": gettext("上传此照片"),
        "rechoose": gettext("重新选择照片"),
        "cancel": gettext("取消"),
        "no_preview": gettext("浏览器无法预览该文件。可直接点击“上传”，由系统检查并说明原因；建议选择 JPG 或 PNG 照片。"),
        "size": gettext("上传尺寸 {w} × {h} 像素"),
        "size_small": gettext("上传尺寸 {w} × {h} 像素：小于要求的 {min_w} × {min_h} 像素，请放大相框或选择更清晰的照片"),
        "busy": gettext("正在上传并检查…"),
        "uploading": gettext("正在上传并检查照片…"),
        "no_blob": gettext("无法生成照片，请重新选择。"),
        "expired": gettext("页面已过期，请刷新页面后重试。"),
        "failed": gettext("上传失败（{status}），请稍后重试。"),
        "network": gettext("网络异常，请稍后重试。"),
        "shrinking": gettext("照片较大，正在压缩…"),
        "shrink_failed": gettext("照片无法自动压缩，请换一张较小的照片。"),
        "shrunk": gettext("照片已自动压缩为 {mb}MB，请点击“上传”。"),
    }


def _megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


@never_cache
@require_GET
@candidate_required
def overview(request):
    """/identity/: where the verification stands, the photos and what to do next."""
    verification = _verification_of(request.user)
    return render(request, "identity/overview.html", _page_context(request, verification))


@never_cache
@require_GET
@candidate_required
def status(request):
    """Polled every 2 s while 认证中; once there is a result the whole page reloads to show it."""
    verification = _verification_of(request.user)
    if verification.status != Status.VERIFYING:
        return _go(request, reverse("identity:overview"))
    return render(request, "identity/_progress.html", {"verification": verification})


# --- 阅读告知 -----------------------------------------------------------------------------------

@never_cache
@require_http_methods(["GET", "POST"])
@candidate_required
def consent(request):
    form = ConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.consent_give(user=request.user, request=request)
        messages.success(request, gettext("您已同意《人脸信息处理告知书》，请按要求上传照片。"))
        return redirect(reverse("identity:overview") + "#photos")
    verification = _verification_of(request.user)
    return render(request, "identity/consent.html", {
        "form": form,
        "consent": services.consent_current(user=request.user),
        "verification": verification,
        "required_labels": [Kind(k).label for k in verification.required_photos],
        "required_labels_text": gettext("、").join(str(Kind(k).label) for k in verification.required_photos),
        "retention_days": settings.KAOWU_IDENTITY_PHOTO_RETENTION_DAYS,
        "manual_after": MANUAL_REVIEW_AFTER_FAILURES,
        "threshold": settings.KAOWU_FACE_MATCH_THRESHOLD,
        "notice_version": services.CONSENT_NOTICE_VERSION,
    })


@never_cache
@require_http_methods(["GET", "POST"])
@candidate_required
def consent_withdraw(request):
    consent = services.consent_current(user=request.user)
    verification = _verification_of(request.user)
    if request.method == "POST":
        if consent is not None:
            services.consent_withdraw(user=request.user, request=request)
            messages.success(request, gettext("您已撤回同意。平台不再处理您的人脸信息，未通过认证的照片已删除。"))
        return redirect("identity:overview")
    return render(request, "identity/consent_withdraw.html", {"consent": consent, "verification": verification})


# --- 上传照片 -----------------------------------------------------------------------------------

@never_cache
@require_POST
@candidate_required
def photo_upload(request, kind: str):
    """One photo slot. htmx (and the crop frame's fetch) get the slot back, re-rendered with the
    preview or every refused rule; a plain form post gets the page back (errors) or a redirect."""
    verification = _verification_of(request.user)
    if kind not in verification.required_photos:
        raise Http404
    form = PhotoUploadForm(request.POST, request.FILES)
    error = ""
    if form.is_valid():
        try:
            services.photo_upload(verification=verification, kind=kind, upload=form.cleaned_data["photo"],
                                  actor=request.user, request=request)
        except services.IdentityError as exc:
            error = exc.message
    else:
        error = "；".join(form.errors["photo"])
    verification.refresh_from_db()
    context = _page_context(request, verification, slot_errors={kind: error} if error else None)
    if request.htmx:
        slot = next(s for s in context["slots"] if s["kind"] == kind)
        return render(request, "identity/_photo_slot_response.html", {**context, "slot": slot, "uploaded": not error})
    if error:
        return render(request, "identity/overview.html", context)
    messages.success(request, gettext("%(photo)s已上传。") % {"photo": Kind(kind).label})
    query = "?retry=1" if context["at_choice"] else ""
    return redirect(reverse("identity:overview") + f"{query}#slot-{kind}")


@require_GET
@candidate_required
def photo(request, token):
    """A photo of the signed-in candidate's own verification; never cached, never public."""
    try:
        found = services.photo_open_for_candidate(user=request.user, token=token)
    except Photo.DoesNotExist:
        raise Http404 from None
    return photo_response(found)


def photo_response(found: Photo) -> FileResponse:
    try:
        handle = found.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"  # set here, not by never_cache: nothing else added
    response["Content-Disposition"] = "inline"
    response["X-Robots-Tag"] = "noindex"
    return response


# --- 提交验证 and 人工审核 ------------------------------------------------------------------------

@never_cache
@require_POST
@candidate_required
def submit(request):
    verification = _verification_of(request.user)
    try:
        verification = services.verification_submit(verification=verification, actor=request.user,
                                                     request=request)
    except services.IdentityError as exc:
        messages.error(request, exc.message)
        return redirect("identity:overview")
    verification.refresh_from_db()
    if verification.status == Status.PASSED:
        messages.success(request, gettext("身份认证已通过。"))
    elif verification.status == Status.FAILED:
        messages.error(request, gettext("身份认证未通过，请查看原因。"))
    return redirect("identity:overview")


@never_cache
@require_POST
@candidate_required
def manual_review(request):
    verification = _verification_of(request.user)
    offices = services.manual_review_offices(verification=verification)
    form = ManualReviewForm(request.POST, offices=offices)
    if not form.is_valid():
        messages.error(request, form.errors["office"][0])
        return redirect("identity:overview")
    try:
        services.manual_review_request(verification=verification, office=form.cleaned_data["office"],
                                       actor=request.user, request=request)
    except services.IdentityError as exc:
        messages.error(request, exc.message)
        return redirect("identity:overview")
    messages.success(request, gettext("已申请到%(office)s人工审核，请携带本人有效身份证件前往办理。")
                     % {"office": form.cleaned_data["office"].name})
    return redirect("identity:overview")


def _go(request, url: str):
    """Leave the page: htmx polls follow HX-Redirect, plain requests a 302."""
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@require_POST
@login_required
def registry_check_view(request):
    """姓名+身份证号在线认证 (seed 003), from 个人中心."""
    if not request.user.is_candidate:
        raise Http404
    try:
        check = services.registry_check(user=request.user, request=request)
    except services.IdentityError as exc:
        messages.error(request, exc.message)
    else:
        from .registry import RegistryAnswer, RegistryOutcome

        answer = RegistryAnswer(RegistryOutcome(check.outcome), check.reference)
        (messages.success if check.outcome == "match" else messages.warning)(request, answer.message)
    return redirect("portal:candidate_home")
