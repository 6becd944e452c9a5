"""找回密码 (seeds 000 and 003): by 身份证号, 手机号 or 邮箱, then a code sent to the account's own
phone (or verified e-mail) and a new password.

Nothing the visitor sees tells whether an account exists: for an unknown identifier a code is
"sent" with deliver=False to a stand-in target, so limits, countdowns, pages and messages are the
same, and the code can never be right. Nor whose phone an identifier belongs to: the countdown and
the limits shown are keyed by the method and the identifier typed (`shown_key`), never by the
phone the code goes to.
"""

import logging
import smtplib
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record
from kaowu.notifications.providers import SmsDeliveryError
from kaowu.verification.models import VerificationCode
from kaowu.verification.services import TooSoon, VerificationError, code_send, code_verify

from ..lockout import lockout_reset_account
from ..models import User
from ..passwords import password_validate
from . import AccountError
from .passwords import password_hash, password_set
from .security import account_notice

logger = logging.getLogger(__name__)
Channel = VerificationCode.Channel
PURPOSE = VerificationCode.Purpose.RESET_PASSWORD

METHOD_ID_NUMBER = "id_number"
METHOD_PHONE = "phone"
METHOD_EMAIL = "email"
METHODS = {METHOD_ID_NUMBER: _("身份证号"), METHOD_PHONE: _("手机号"), METHOD_EMAIL: _("邮箱")}

# How long the whole attempt (step 1 to step 2) may take.
ATTEMPT_MAX_AGE_SECONDS = 600
CODE_ERROR = _("验证码错误或已过期，请重新获取")


@dataclass
class ResetAttempt:
    """What the session remembers between step 1 and step 2 (never shown to the visitor)."""

    method: str
    user_id: int | None
    channel: str
    target: str
    started_at: float
    # What the visitor typed, as a keyed hash: the countdown and the limits the page shows are
    # keyed by it, never by `target` (which would tell whose phone an ID number belongs to).
    shown_key: str = ""

    @property
    def expired(self) -> bool:
        return timezone.now().timestamp() - self.started_at > ATTEMPT_MAX_AGE_SECONDS

    def as_session(self) -> dict:
        return asdict(self)

    @classmethod
    def from_session(cls, data) -> "ResetAttempt | None":
        try:
            attempt = cls(**data)
        except TypeError:
            return None
        if attempt.method not in METHODS or not attempt.target or not attempt.shown_key:
            return None
        return attempt


def _account_for(*, method: str, identifier: str) -> User | None:
    accounts = User.objects.filter(kind=User.Kind.CANDIDATE, is_active=True)
    if method == METHOD_ID_NUMBER:
        return accounts.filter(id_number=identifier).first()
    if method == METHOD_PHONE:
        return accounts.filter(phone=identifier).first()
    if method == METHOD_EMAIL:
        return accounts.filter(email__iexact=identifier, email_verified_at__isnull=False).first()
    return None


def _destination(*, user: User, method: str) -> tuple[str, str] | None:
    """(channel, target) the code goes to: the bound phone, or the verified e-mail when the visitor
    chose 邮箱 (or the account has no phone)."""
    verified_email = user.email if user.email and user.email_verified_at else None
    if method == METHOD_EMAIL:
        return (Channel.EMAIL, verified_email) if verified_email else None
    if user.phone:
        return Channel.SMS, user.phone
    if verified_email:
        return Channel.EMAIL, verified_email
    return None


def _stand_in_target(*, method: str, identifier: str) -> str:
    # Keyed hash rather than the identifier itself: no ID numbers in the codes table.
    return "reset:" + salted_hmac("kaowu.accounts.reset-stand-in", f"{method}:{identifier}",
                                  algorithm="sha256").hexdigest()[:40]


def _send(*, attempt: ResetAttempt, ip: str | None) -> int:
    """Send (or pretend to send) the code; return seconds until the next may be sent.
    TooSoon propagates; a gateway failure looks like success, so it cannot reveal the account."""
    try:
        return code_send(channel=attempt.channel, target=attempt.target, purpose=PURPOSE, ip=ip,
                         deliver=attempt.user_id is not None, shown_key=attempt.shown_key)
    except TooSoon:
        raise
    except VerificationError as exc:
        if isinstance(exc.__cause__, SmsDeliveryError):
            logger.warning("Password reset code for account %s could not be delivered", attempt.user_id)
            return settings.KAOWU_SMS_RESEND_SECONDS
        raise AccountError(str(exc)) from exc
    except (smtplib.SMTPException, OSError):
        logger.warning("Password reset e-mail for account %s could not be delivered", attempt.user_id)
        return settings.KAOWU_SMS_RESEND_SECONDS


def password_reset_start(*, method: str, identifier: str, ip: str | None) -> tuple[ResetAttempt, int]:
    """Step 1: the visitor named an account (identifier already normalised by the form).
    Returns the attempt to remember and the seconds before 重新获取 is allowed."""
    if method not in METHODS:
        raise AccountError(gettext("请选择找回方式"))
    user = _account_for(method=method, identifier=identifier)
    destination = _destination(user=user, method=method) if user is not None else None
    shown_key = _stand_in_target(method=method, identifier=identifier)
    if destination is None:
        user = None
        channel = Channel.EMAIL if method == METHOD_EMAIL else Channel.SMS
        destination = (channel, shown_key)
    attempt = ResetAttempt(method=method, user_id=user.pk if user else None, channel=destination[0],
                           target=destination[1], started_at=timezone.now().timestamp(), shown_key=shown_key)
    try:
        wait = _send(attempt=attempt, ip=ip)
    except TooSoon as exc:
        # A code went out less than a minute ago: it is still good, so carry on to step 2.
        wait = exc.seconds_left
    return attempt, wait


def password_reset_resend(*, attempt: ResetAttempt, ip: str | None) -> int:
    """重新获取 on step 2. Raises TooSoon (with seconds_left) or AccountError."""
    if attempt.expired:
        raise AccountError(gettext("操作已超时，请重新验证账号"))
    return _send(attempt=attempt, ip=ip)


def password_reset_complete(*, attempt: ResetAttempt, code: str, new_password: str, request=None) -> User:
    """Step 2: the code is right, so set the new password. Every session of the account ends.
    The password policy is checked only after the code, so the policy shown in errors cannot
    reveal an account (or its exam type) to someone who does not hold the code."""
    if attempt.expired:
        raise AccountError(gettext("操作已超时，请重新验证账号"))
    try:
        code_verify(target=attempt.target, purpose=PURPOSE, code=code, consume=False)
    except VerificationError as exc:
        raise AccountError(str(exc), field="code") from exc
    user = User.objects.filter(pk=attempt.user_id, kind=User.Kind.CANDIDATE, is_active=True).first() \
        if attempt.user_id else None
    if user is None:
        raise AccountError(CODE_ERROR, field="code")
    try:
        password_validate(password=new_password, user=user)
    except ValidationError as exc:
        raise AccountError("；".join(exc.messages), field="new_password") from exc
    hashed = password_hash(new_password)  # slow on purpose: before the transaction, not inside it
    with transaction.atomic():
        try:
            code_verify(target=attempt.target, purpose=PURPOSE, code=code)
        except VerificationError as exc:
            raise AccountError(str(exc), field="code") from exc
        password_set(user=user, hashed_password=hashed)
        lockout_reset_account(user)  # the owner proved the phone: the old password's failures are moot
        audit_record(actor=user, action=AuditAction.ACCOUNT_PASSWORD_RESET, target=user, request=request,
                     detail={"method": attempt.method, "channel": attempt.channel})
    account_notice(user=user, text="【考生服务平台】您的密码已重置，其他设备上的登录已退出。如非本人操作，请立即再次找回密码并联系考试院。")
    return user
