from django.contrib.auth import authenticate, login
from django.utils.translation import gettext

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record
from kaowu.candidates.models import ExamNumber

from ..models import User
from . import AccountError
from .wechat import (
    WECHAT_UNBOUND_MESSAGE,
    WeChatPurpose,
    WeChatStatus,
    wechat_account,
    wechat_state_begin,
    wechat_state_claim,
    wechat_state_entry,
    wechat_state_save,
)

SESSION_ACTING_EXAM_NUMBER = "acting_exam_number"
BACKEND = "kaowu.accounts.backends.IdentifierBackend"


def candidate_login_by_sms(*, request, phone: str, sms_code: str) -> User:
    """Phone + SMS code login (seed 003). The same message whether or not the phone is bound.
    Through `authenticate()` (backends.SmsCodeBackend): failures count towards the account's and
    the address's lockout, and a locked login gets the lockout page."""
    user = authenticate(request, identifier=phone, sms_code=sms_code, kind=User.Kind.CANDIDATE)
    if user is None:
        raise AccountError(gettext("验证码错误或已过期，请重新获取"), field="sms_code")
    session_start(request=request, user=user)
    return user


def wechat_login_begin(*, request, next_url: str = "") -> str:
    """微信扫码登录: the `state` for the QR code on this browser's login page. `next_url` must be
    a URL already checked as safe; it is where the browser goes once signed in."""
    return wechat_state_begin(request=request, purpose=WeChatPurpose.LOGIN, next=next_url)


def wechat_login_progress(*, request, nonce: str | None = None) -> dict | None:
    """Where this browser's WeChat login stands; signs the browser in once WeChat authorised a
    WeChat bound to an active candidate account. Only the session that showed the QR code holds
    its nonce, so the phone that scanned it never signs in (unless it is that same browser).

    Returns the entry (status, error, next), or None when this browser shows no QR code (or it
    expired unused). Not subject to the password lockout: the state is single use and expires."""
    found = wechat_state_entry(request=request, purpose=WeChatPurpose.LOGIN, nonce=nonce)
    if found is None:
        return None
    nonce, entry = found
    if entry["status"] != WeChatStatus.AUTHORIZED or request.user.is_authenticated:
        return entry
    if not wechat_state_claim(nonce=nonce):
        return entry  # a parallel request of this browser is signing it in
    user = wechat_account(openid=entry.pop("openid", ""))
    if user is None:  # unbound or disabled since WeChat agreed
        entry.update(status=WeChatStatus.FAILED, error=WECHAT_UNBOUND_MESSAGE)
    else:
        session_start(request=request, user=user)
        audit_record(actor=user, action=AuditAction.ACCOUNT_WECHAT_LOGIN, target=user, request=request)
        entry["status"] = WeChatStatus.SIGNED_IN
    wechat_state_save(nonce=nonce, entry=entry)
    return entry


def session_start(*, request, user: User) -> None:
    login(request, user, backend=BACKEND)
    if user.is_candidate:
        numbers = exam_numbers_of(user)
        if len(numbers) == 1:
            request.session[SESSION_ACTING_EXAM_NUMBER] = numbers[0].number


def exam_numbers_of(user: User) -> list[ExamNumber]:
    if not hasattr(user, "candidate"):
        return []
    return list(user.candidate.exam_numbers.filter(status=ExamNumber.Status.ACTIVE).select_related("exam_area"))


def acting_exam_number_choose(*, request, user: User, number: str) -> ExamNumber:
    """Act as one of the account's 准考证号 (seed 000: 选择对应准考证号，进入系统)."""
    for exam_number in exam_numbers_of(user):
        if exam_number.number == number:
            request.session[SESSION_ACTING_EXAM_NUMBER] = number
            return exam_number
    raise AccountError(gettext("请选择本人名下的准考证号"))


def acting_exam_number(request) -> ExamNumber | None:
    number = request.session.get(SESSION_ACTING_EXAM_NUMBER)
    if not number or not request.user.is_authenticated:
        return None
    for exam_number in exam_numbers_of(request.user):
        if exam_number.number == number:
            return exam_number
    return None
