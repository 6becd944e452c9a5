"""Use cases of 账号申诉 (lost phone, seed 000).

    appeal_identify            身份证号 + 姓名 (after the captcha) → the account that appeals
    face_check_start           获取人脸识别二维码: a check at the face check provider (limited per account per day)
    face_check_refresh         where a check stands (asks the provider; the QR code expires on the server too)
    face_appeal_complete       人脸识别已通过 + the new phone's SMS code → the new phone is bound at once
    material_appeal_submit     材料辅助申诉: new phone (SMS code), 所属区县, 报考考试, reason, MP4 video → 区县招办审核
    appeal_find                申诉进度: an appeal by its number and the 身份证号
    appeal_progress_token / appeal_from_token   the progress page's link (in the SMS and after submitting)

Errors a visitor can cause are `AppealError` with a Chinese message.
"""

import datetime
import logging

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from kaowu.accounts.models import User, new_security_stamp
from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record
from kaowu.core.errors import UserFacingError
from kaowu.core.masking import mask_phone
from kaowu.notifications.providers import SmsDeliveryError
from kaowu.notifications.services import sms_send
from kaowu.organization.models import Region
from kaowu.verification.models import VerificationCode
from kaowu.verification.services import VerificationError, code_verify
from kaowu.workflow.models import Application
from kaowu.workflow.services import WorkflowError, application_save_draft, application_submit

from .facecheck import FAILED, PASSED, FaceCheckError, face_check_provider
from .material import CODE, EXAM_TYPES
from .models import AppealVideo, FaceCheck
from .mp4 import VideoRejected, video_check

logger = logging.getLogger(__name__)
PURPOSE = VerificationCode.Purpose.APPEAL_NEW_PHONE

IDENTITY_MAX_AGE_SECONDS = 30 * 60  # from 验证身份 to 提交
IDENTIFY_FAILURES_PER_IP_PER_DAY = 20
FACE_CHECKS_PER_DAY = 5  # 人脸识别 attempts per account per day
FACE_PASSED_VALID_SECONDS = 10 * 60  # a passed check must be used within this time
VIDEO_MAX_BYTES = 50 * 1024 * 1024
VIDEO_MIN_SECONDS = 3
REASON_MAX = 200
PHONE_TAKEN = "该手机号已绑定其他账号，一个手机号只能绑定一个账号。请更换其他手机号。"
_TOKEN_SALT = "kaowu.appeals.progress"


class AppealError(UserFacingError):
    """An appeal refused, with the reason (Chinese)."""


# --- who appeals -----------------------------------------------------------------------------------

def _failures_key(ip: str | None) -> str:
    return f"appeals:identify-failures:{timezone.localdate().isoformat()}:{ip or '-'}"


def appeal_identify(*, id_number: str, real_name: str, ip: str | None) -> User:
    """The candidate account with this 身份证号 and 姓名 (inputs normalised by the form)."""
    key = _failures_key(ip)
    if cache.get(key, 0) >= IDENTIFY_FAILURES_PER_IP_PER_DAY:
        raise AppealError(gettext("今日身份验证失败次数过多，请明天再试或联系所属区县招办。"))
    user = User.objects.filter(kind=User.Kind.CANDIDATE, is_active=True, id_number=id_number,
                               real_name=real_name).first()
    if user is None:
        if not cache.add(key, 1, 24 * 3600):
            cache.incr(key)
        raise AppealError(gettext("身份证号与姓名不匹配，或该身份证号尚未注册考生账号。请核对后重新输入。"))
    return user


def _phone_free(phone: str, user: User) -> None:
    if User.objects.filter(phone=phone).exclude(pk=user.pk).exists():
        raise AppealError(gettext(PHONE_TAKEN), field="phone")
    if phone == user.phone:
        raise AppealError(gettext("新手机号与账号当前绑定的手机号相同；如该手机仍可使用，请直接通过短信验证码登录或找回密码。"),
                          field="phone")


def _verify_code(phone: str, code: str) -> None:
    try:
        code_verify(target=phone, purpose=PURPOSE, code=code)
    except VerificationError as exc:
        raise AppealError(str(exc), field="sms_code") from exc


def _text(phone: str, text: str) -> None:
    try:
        sms_send(phone=phone, text=text)
    except SmsDeliveryError:
        logger.warning("Appeal notice could not be delivered")


# --- 人脸识别申诉 ----------------------------------------------------------------------------------

def face_check_start(*, user: User, ip: str | None = None, now=None) -> FaceCheck:
    now = now or timezone.now()
    start_of_day = timezone.make_aware(datetime.datetime.combine(timezone.localdate(now), datetime.time.min))
    if FaceCheck.objects.filter(user=user, created_at__gte=start_of_day).count() >= FACE_CHECKS_PER_DAY:
        raise AppealError(gettext("今日人脸识别次数已达上限（%(n)s次），请明天再试，或使用材料辅助申诉。")
                          % {"n": FACE_CHECKS_PER_DAY})
    provider = face_check_provider()
    seconds = settings.KAOWU_FACE_CHECK_QR_SECONDS
    with transaction.atomic():
        # A new QR code voids the ones before it.
        FaceCheck.objects.filter(user=user, status=FaceCheck.Status.PENDING).update(status=FaceCheck.Status.EXPIRED)
        check = FaceCheck(user=user, provider=provider.name, requested_ip=ip,
                          expires_at=now + datetime.timedelta(seconds=seconds))
        try:
            session = provider.start(reference=check.token, real_name=user.real_name, id_number=user.id_number or "",
                                     seconds=seconds)
        except FaceCheckError as exc:
            raise AppealError(str(exc)) from exc
        check.session_id, check.qr_url, check.expires_at = session.session_id, session.qr_url, session.expires_at
        check.save()
        audit_record(actor=user, action=AuditAction.APPEAL_FACE_CHECK_START, target=user, detail={"provider": provider.name})
    return check


def face_check_refresh(*, check: FaceCheck, now=None) -> FaceCheck:
    """Ask the provider while the check is pending; past its expiry the QR code is dead, whatever the
    phone does afterwards."""
    if check.status != FaceCheck.Status.PENDING:
        return check
    now = now or timezone.now()
    try:
        result = face_check_provider().result(check.session_id)
    except FaceCheckError:
        result = None
    with transaction.atomic():
        check = FaceCheck.objects.select_for_update().get(pk=check.pk)
        if check.status != FaceCheck.Status.PENDING:
            return check
        if result in (PASSED, FAILED) and now <= check.expires_at + datetime.timedelta(seconds=5):
            check.status = FaceCheck.Status.PASSED if result == PASSED else FaceCheck.Status.FAILED
            check.decided_at = now
            audit_record(actor=check.user, action=AuditAction.APPEAL_FACE_CHECK_RESULT, target=check.user,
                         detail={"result": check.status})
        elif now > check.expires_at:
            check.status = FaceCheck.Status.EXPIRED
        else:
            return check
        check.save(update_fields=["status", "decided_at"])
    return check


def face_appeal_complete(*, check: FaceCheck, new_phone: str, sms_code: str, request=None, now=None) -> User:
    """提交 after 人脸识别已通过: the new phone (with its code) replaces the account's phone at once; every
    session of the account ends."""
    now = now or timezone.now()
    with transaction.atomic():
        check = FaceCheck.objects.select_for_update().select_related("user").get(pk=check.pk)
        user = check.user
        if check.status != FaceCheck.Status.PASSED:
            raise AppealError(gettext("请先完成人脸识别"))
        if check.decided_at is None or (now - check.decided_at).total_seconds() > FACE_PASSED_VALID_SECONDS:
            raise AppealError(gettext("人脸识别结果已超过%(n)s分钟，请重新进行人脸识别。")
                              % {"n": FACE_PASSED_VALID_SECONDS // 60})
        _phone_free(new_phone, user)
        _verify_code(new_phone, sms_code)
        old_phone = user.phone
        try:
            with transaction.atomic():
                User.objects.filter(pk=user.pk).update(phone=new_phone, security_stamp=new_security_stamp())
        except IntegrityError:
            raise AppealError(gettext(PHONE_TAKEN), field="phone") from None
        check.status, check.used_at = FaceCheck.Status.USED, now
        check.save(update_fields=["status", "used_at"])
        audit_record(actor=user, action=AuditAction.ACCOUNT_PHONE_APPEAL_REPLACE, target=user, request=request,
                     detail={"channel": "face", "provider": check.provider, "had_phone": bool(old_phone)})
    user.phone = new_phone
    _text(new_phone, "【考生服务平台】您已通过人脸识别申诉，考生账号已绑定本手机号，其他设备上的登录已退出。"
                     "今后请使用本手机号登录和找回密码。")
    if old_phone:
        _text(old_phone, f"【考生服务平台】您的考生账号绑定手机号已通过人脸识别申诉更换为{mask_phone(new_phone)}，"
                         "本号码不再用于登录和找回密码。如非本人操作，请立即联系考试院。")
    return user


# --- 材料辅助申诉 ----------------------------------------------------------------------------------

def material_appeal_submit(*, user: User, new_phone: str, sms_code: str, district_code: str, exam_type: str,
                           reason: str, video, request=None) -> Application:
    """Check everything, then save and submit a `phone_appeal` application with its video; it enters the
    queue of the 所属区县's 区县招办."""
    candidate = getattr(user, "candidate", None)
    if candidate is None:
        raise AppealError(gettext("账号尚未完善考生信息，不能在线申诉。请携带本人有效身份证件到所属区县招办办理。"))
    district = Region.objects.filter(code=district_code, level=Region.Level.DISTRICT).select_related("parent").first()
    if district is None:
        raise AppealError(gettext("请选择所属区县"), field="district")
    if exam_type not in EXAM_TYPES:
        raise AppealError(gettext("请选择报考考试"), field="exam_type")
    reason = (reason or "").strip()[:REASON_MAX]
    try:
        checked = video_check(video, max_bytes=VIDEO_MAX_BYTES, min_seconds=VIDEO_MIN_SECONDS,
                              max_seconds=settings.KAOWU_APPEAL_VIDEO_MAX_SECONDS)
    except VideoRejected as exc:
        raise AppealError(exc.message, field="video") from None
    _phone_free(new_phone, user)
    from kaowu.workflow.selectors import application_open_of

    other = application_open_of(candidate=candidate, type_code=CODE)
    if other is not None:
        raise AppealError(gettext("您已有一份正在审核的申诉（申诉编号%(number)s），请等待审核结果，可在“申诉进度”查询。")
                          % {"number": other.number})
    data = {"appeal_type": "change_phone", "new_phone": new_phone, "district": district.code,
            "district_name": district.full_name, "exam_type": exam_type, "reason": reason,
            "video_seconds": round(checked.duration_seconds, 2)}
    stored = None
    try:
        with transaction.atomic():
            _verify_code(new_phone, sms_code)
            application = application_save_draft(actor=user, data=data, type_code=CODE, candidate=candidate,
                                                 request=request)
            original = (getattr(video, "name", "") or "appeal.mp4").rsplit("/", 1)[-1][:200]
            video.name = "appeal.mp4"
            stored = AppealVideo.objects.create(application=application, file=video, original_name=original,
                                                size=checked.size, duration_seconds=round(checked.duration_seconds, 2))
            application = application_submit(application=application, actor=user, request=request)
    except WorkflowError as exc:
        if stored is not None:
            stored.file.storage.delete(stored.file.name)
        raise AppealError(exc.message, field=exc.field) from None
    except BaseException:
        if stored is not None:
            stored.file.storage.delete(stored.file.name)
        raise
    link = progress_link(application, request=request)
    _text(new_phone, f"【考生服务平台】您的账号申诉已提交（申诉编号{application.number}），"
                     f"等待{application.reviewing_office.name}审核。"
                     + (f"查询进度：{link}" if link else "可在考生服务平台“申诉进度”查询。"))
    return application


def progress_link(application: Application, *, request=None) -> str:
    """The progress page's absolute address for an SMS (KAOWU_PUBLIC_BASE_URL, else the request's
    host); empty when neither is known."""
    from django.urls import reverse

    path = reverse("appeals:progress", args=[appeal_progress_token(application)])
    from kaowu.core.http import public_url

    return public_url(path, request=request)


def on_rejected(application: Application) -> None:
    """Tell the new phone too (the account's phone is the lost one)."""
    phone = application.data.get("new_phone")
    decision = application.transitions.order_by("-id").first()
    reason = decision.comment if decision is not None else ""
    if phone:
        link = progress_link(application)
        text = (f"【考生服务平台】您的账号申诉（申诉编号{application.number}）审核未通过。原因：{reason}。"
                + (f"查询进度：{link}" if link else "可在考生服务平台“申诉进度”查询，或重新申诉。"))
        transaction.on_commit(lambda: _text(phone, text))


# --- 申诉进度 --------------------------------------------------------------------------------------

def appeal_find(*, number: str, id_number: str) -> Application | None:
    """The appeal with this number of the account with this 身份证号 (None for any mismatch)."""
    return (Application.objects.filter(type_code=CODE, number=(number or "").strip().upper(),
                                       applicant__id_number=id_number)
            .exclude(Q(submitted_at__isnull=True))
            .select_related("reviewing_office", "candidate__district").first())


def appeal_progress_token(application: Application) -> str:
    return signing.dumps({"n": application.number}, salt=_TOKEN_SALT, compress=True)


def appeal_from_token(token: str) -> Application | None:
    try:
        data = signing.loads(token or "", salt=_TOKEN_SALT)
    except signing.BadSignature:
        return None
    number = data.get("n") if isinstance(data, dict) else None
    return Application.objects.filter(type_code=CODE, number=number).select_related(
        "reviewing_office", "candidate__district").first() if number else None
