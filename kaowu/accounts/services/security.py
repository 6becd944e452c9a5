"""安全中心: a signed-in candidate changes the password, the phone, the e-mail and the WeChat bound to
the account, and signs out other devices. Every change is audited and announced to the account's
phone (or verified e-mail), so a stranger's change does not go unnoticed."""

import logging
import secrets
import smtplib

from django.contrib.auth import update_session_auth_hash
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record
from kaowu.core.masking import mask_email, mask_phone
from kaowu.notifications.providers import SmsDeliveryError
from kaowu.notifications.services import email_send, sms_send
from kaowu.verification.models import VerificationCode
from kaowu.verification.services import VerificationError, code_send, code_verify

from ..models import User, new_security_stamp
from ..passwords import password_validate
from . import AccountError
from .wechat import (
    WECHAT_TAKEN_MESSAGE,
    WeChatPurpose,
    WeChatStatus,
    wechat_state_begin,
    wechat_state_entry,
    wechat_state_forget,
    wechat_state_save,
)

logger = logging.getLogger(__name__)
Purpose = VerificationCode.Purpose

PHONE_TAKEN_MESSAGE = _("该手机号已绑定其他账号，一个手机号只能绑定一个账号。请更换其他手机号。")
EMAIL_TAKEN_MESSAGE = _("该邮箱已绑定其他账号，一个邮箱只能绑定一个账号。请更换其他邮箱。")
WRONG_PASSWORD_MESSAGE = _("登录密码不正确")

EMAIL_LINK_MAX_AGE_SECONDS = 24 * 3600
EMAIL_LINK_RESEND_SECONDS = 60
EMAIL_LINK_DAILY_LIMIT = 10


# --- Notices and audit ---------------------------------------------------------------------------

def account_notice(*, user: User, text: str, phone: str | None = None) -> None:
    """Tell the account holder about a security change: by SMS to `phone` (default: the bound
    phone), else by e-mail to the verified address. A failed notice never undoes the change."""
    phone = phone or user.phone
    try:
        if phone:
            sms_send(phone=phone, text=text)
        elif user.email and user.email_verified_at:
            email_send(to=user.email, subject="考生服务平台账号安全提醒", body=text)
    except (SmsDeliveryError, smtplib.SMTPException, OSError):
        logger.warning("Security notice to account %s could not be delivered", user.pk)


def _audit(*, user: User, action: str, request=None, detail: dict | None = None) -> None:
    audit_record(actor=user, action=action, target=user, request=request, detail=detail)


def _check_password(user: User, password: str, *, field: str = "password") -> None:
    if not password or not user.check_password(password):
        raise AccountError(WRONG_PASSWORD_MESSAGE, field=field)


# --- 修改密码 ------------------------------------------------------------------------------------

def password_change(*, user: User, old_password: str, new_password: str, request) -> None:
    """Change the password of the signed-in account; this session stays, every other one ends."""
    from .passwords import password_hash, password_set

    if not user.check_password(old_password):
        raise AccountError(gettext("原密码不正确"), field="old_password")
    if old_password == new_password:
        raise AccountError(gettext("新密码不能与原密码相同"), field="new_password")
    try:
        password_validate(password=new_password, user=user)
    except ValidationError as exc:
        raise AccountError("；".join(exc.messages), field="new_password") from exc
    hashed = password_hash(new_password)  # slow on purpose: before the transaction, not inside it
    with transaction.atomic():
        password_set(user=user, hashed_password=hashed, request=request)
        _audit(user=user, action=AuditAction.ACCOUNT_PASSWORD_CHANGE, request=request)
    account_notice(user=user, text="【考生服务平台】您的账号密码已修改，其他设备上的登录已退出。如非本人操作，请立即找回密码。")


# --- 更换手机号 ----------------------------------------------------------------------------------

def phone_old_code_send(*, user: User, ip: str | None) -> int:
    """Send a code to the phone bound to the account (never to a typed number)."""
    if not user.phone:
        raise AccountError(gettext("您的账号未绑定手机号，请使用登录密码验证身份"))
    # TooSoon (a VerificationError) carries the seconds left; the view shows the countdown.
    return code_send(target=user.phone, purpose=Purpose.CHANGE_PHONE_OLD, ip=ip)


def phone_old_verify(*, user: User, code: str = "", password: str = "") -> None:
    """Step 1 of 更换手机号: prove the account holder is here, by a code sent to the old phone
    (or, for an account without a phone, by its password)."""
    if user.phone:
        try:
            code_verify(target=user.phone, purpose=Purpose.CHANGE_PHONE_OLD, code=code)
        except VerificationError as exc:
            raise AccountError(str(exc), field="sms_code") from exc
    else:
        _check_password(user, password)


def phone_change(*, user: User, new_phone: str, sms_code: str, request=None) -> User:
    """Step 2 of 更换手机号: bind the new phone once its own code is right."""
    old_phone = user.phone
    if new_phone == old_phone:
        raise AccountError(gettext("新手机号与当前绑定的手机号相同"), field="phone")
    if User.objects.filter(phone=new_phone).exclude(pk=user.pk).exists():
        raise AccountError(PHONE_TAKEN_MESSAGE, field="phone")
    try:
        code_verify(target=new_phone, purpose=Purpose.CHANGE_PHONE_NEW, code=sms_code)
    except VerificationError as exc:
        raise AccountError(str(exc), field="sms_code") from exc
    try:
        with transaction.atomic():
            User.objects.filter(pk=user.pk).update(phone=new_phone)
            _audit(user=user, action=AuditAction.ACCOUNT_PHONE_CHANGE, request=request,
                   detail={"had_phone": bool(old_phone)})
    except IntegrityError:
        # Someone bound the same number between our check and the update.
        raise AccountError(PHONE_TAKEN_MESSAGE, field="phone") from None
    user.phone = new_phone
    if old_phone:
        account_notice(user=user, phone=old_phone,
                       text=f"【考生服务平台】您的考生账号绑定手机号已更换为{mask_phone(new_phone)}，"
                            "本号码不再用于登录和找回密码。如非本人操作，请立即联系考试院。")
    return user


# --- 绑定邮箱 ------------------------------------------------------------------------------------

_EMAIL_SALT = "kaowu.accounts.email-bind"


def _digest(purpose: str, value: str) -> str:
    return salted_hmac(purpose, value or "", algorithm="sha256").hexdigest()[:20]


def email_normalize(email: str) -> str:
    return (email or "").strip().lower()


def email_token_make(*, user: User, email: str) -> str:
    """A signed link token for binding `email` to `user`: it dies after 24 hours, when the account's
    security stamp rotates (退出所有设备) and once the account's e-mail changes."""
    return signing.TimestampSigner(salt=_EMAIL_SALT).sign_object({
        "u": user.pk,
        "e": email,
        "s": _digest("email-bind-stamp", user.security_stamp),
        "c": _digest("email-bind-current", user.email or ""),
    }, compress=True)


def email_link_send(*, user: User, email: str, link_for, request=None) -> None:
    """E-mail a verification link for binding `email`. `link_for(token)` builds the absolute URL."""
    email = email_normalize(email)
    if user.email and email == user.email.lower() and user.email_verified_at:
        raise AccountError(gettext("该邮箱已是当前账号绑定的邮箱"), field="email")
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise AccountError(EMAIL_TAKEN_MESSAGE, field="email")
    day_key = f"email-link:day:{timezone.localdate().isoformat()}:{user.pk}"
    if cache.get(day_key, 0) >= EMAIL_LINK_DAILY_LIMIT:
        raise AccountError(gettext("今日发送验证邮件次数已达上限，请明天再试"), field="email")
    if not cache.add(f"email-link:recent:{user.pk}", 1, EMAIL_LINK_RESEND_SECONDS):
        raise AccountError(gettext("发送过于频繁，请%(n)s秒后再试") % {"n": EMAIL_LINK_RESEND_SECONDS}, field="email")
    if not cache.add(day_key, 1, 24 * 3600):
        cache.incr(day_key)

    link = link_for(email_token_make(user=user, email=email))
    body = (
        f"{user.real_name}，您好：\n\n"
        "您正在将本邮箱绑定到考生服务平台账号。请在24小时内打开下面的链接完成验证：\n\n"
        f"{link}\n\n"
        "绑定后，本邮箱可用于找回密码和接收通知。如非本人操作，请忽略本邮件，邮箱不会被绑定。"
    )
    try:
        send_mail("【考生服务平台】绑定邮箱验证", body, None, [email])
    except (smtplib.SMTPException, OSError) as exc:
        cache.delete(f"email-link:recent:{user.pk}")
        raise AccountError(gettext("验证邮件发送失败，请确认邮箱地址正确后重试"), field="email") from exc
    _audit(user=user, action=AuditAction.ACCOUNT_EMAIL_LINK_SEND, request=request)


def email_verify(*, token: str, request=None) -> User:
    """Open a verification link: bind and verify its e-mail on its account."""
    try:
        data = signing.TimestampSigner(salt=_EMAIL_SALT).unsign_object(token or "",
                                                                       max_age=EMAIL_LINK_MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        raise AccountError(gettext("验证链接已过期（有效期24小时）。请登录后在“安全中心 > 绑定邮箱”重新发送验证邮件。")) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise AccountError(gettext("验证链接无效，请检查链接是否完整，或在“安全中心 > 绑定邮箱”重新发送验证邮件。")) from None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not data.get("e"):
        raise AccountError(gettext("验证链接无效，请在“安全中心 > 绑定邮箱”重新发送验证邮件。"))
    user = User.objects.filter(pk=data["u"], is_active=True).first()
    if user is None:
        raise AccountError(gettext("验证链接无效，请在“安全中心 > 绑定邮箱”重新发送验证邮件。"))
    email = data["e"]
    if user.email and user.email.lower() == email and user.email_verified_at:
        return user  # opened twice: already done
    if (not secrets.compare_digest(data.get("s", ""), _digest("email-bind-stamp", user.security_stamp))
            or not secrets.compare_digest(data.get("c", ""), _digest("email-bind-current", user.email or ""))):
        raise AccountError(gettext("验证链接已失效（账号的邮箱或安全设置已变更）。请在“安全中心 > 绑定邮箱”重新发送验证邮件。"))
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise AccountError(EMAIL_TAKEN_MESSAGE)
    had_email = bool(user.email)
    now = timezone.now()
    try:
        with transaction.atomic():
            User.objects.filter(pk=user.pk).update(email=email, email_verified_at=now)
            _audit(user=user, action=AuditAction.ACCOUNT_EMAIL_BIND, request=request, detail={"replaced": had_email})
    except IntegrityError:
        raise AccountError(EMAIL_TAKEN_MESSAGE) from None
    user.email, user.email_verified_at = email, now
    account_notice(user=user, text=f"【考生服务平台】您的考生账号已绑定邮箱{mask_email(email)}。如非本人操作，请立即修改密码并解绑。")
    return user


def email_unbind(*, user: User, password: str, request=None) -> None:
    if not user.email:
        raise AccountError(gettext("当前账号未绑定邮箱"))
    _check_password(user, password)
    old = user.email
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(email=None, email_verified_at=None)
        _audit(user=user, action=AuditAction.ACCOUNT_EMAIL_UNBIND, request=request)
    user.email, user.email_verified_at = None, None
    account_notice(user=user, text=f"【考生服务平台】您的考生账号已解绑邮箱{mask_email(old)}。如非本人操作，请立即修改密码。")


# --- 绑定微信 ------------------------------------------------------------------------------------
# The bind page starts a WeChat state (services/wechat.py) for the signed-in user; once WeChat
# authorised it, a request of that same session makes the binding.

def wechat_bind_begin(*, request) -> str:
    """Start a binding for the signed-in user; return the `state` for the QR code."""
    return wechat_state_begin(request=request, purpose=WeChatPurpose.BIND, user_id=request.user.pk)


def wechat_bind_progress(*, request, nonce: str | None = None) -> dict | None:
    """Where the signed-in user's binding stands (the session's own, or `nonce`); binds the account
    once WeChat authorised it. Returns the entry (status, error), or None when there is no binding
    under way for this user (or its QR code expired)."""
    found = wechat_state_entry(request=request, purpose=WeChatPurpose.BIND, nonce=nonce)
    if found is None or found[1].get("user_id") != request.user.pk:
        return None
    nonce, entry = found
    if entry["status"] == WeChatStatus.AUTHORIZED:
        try:
            wechat_bind(user=request.user, openid=entry["openid"], request=request)
        except AccountError as exc:
            entry.update(status=WeChatStatus.FAILED, error=exc.message)
        else:
            entry["status"] = WeChatStatus.BOUND
        entry.pop("openid", None)
        wechat_state_save(nonce=nonce, entry=entry)
    return entry


def wechat_bind_forget(*, request, nonce: str | None = None) -> None:
    wechat_state_forget(request=request, purpose=WeChatPurpose.BIND, nonce=nonce)


def wechat_bind(*, user: User, openid: str, request=None) -> None:
    if user.wechat_openid == openid:
        return
    if user.wechat_openid:
        raise AccountError(gettext("当前账号已绑定微信，如需更换请先解绑"))
    if User.objects.filter(wechat_openid=openid).exclude(pk=user.pk).exists():
        raise AccountError(WECHAT_TAKEN_MESSAGE)
    now = timezone.now()
    try:
        with transaction.atomic():
            User.objects.filter(pk=user.pk).update(wechat_openid=openid, wechat_bound_at=now)
            _audit(user=user, action=AuditAction.ACCOUNT_WECHAT_BIND, request=request)
    except IntegrityError:
        raise AccountError(WECHAT_TAKEN_MESSAGE) from None
    user.wechat_openid, user.wechat_bound_at = openid, now
    account_notice(user=user, text="【考生服务平台】您的考生账号已绑定微信。如非本人操作，请立即登录安全中心解绑并修改密码。")


def wechat_unbind(*, user: User, password: str, request=None) -> None:
    if not user.wechat_openid:
        raise AccountError(gettext("当前账号未绑定微信"))
    _check_password(user, password)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(wechat_openid=None, wechat_bound_at=None)
        _audit(user=user, action=AuditAction.ACCOUNT_WECHAT_UNBIND, request=request)
    user.wechat_openid, user.wechat_bound_at = None, None
    account_notice(user=user, text="【考生服务平台】您的考生账号已解绑微信。如非本人操作，请立即修改密码。")


# --- 退出所有设备 --------------------------------------------------------------------------------

def sessions_end_others(*, user: User, request) -> None:
    """Sign the account out on every other device; this session stays signed in."""
    with transaction.atomic():
        user.security_stamp = new_security_stamp()
        user.save(update_fields=["security_stamp"])
        _audit(user=user, action=AuditAction.ACCOUNT_SESSIONS_END_OTHERS, request=request)
    update_session_auth_hash(request, user)
