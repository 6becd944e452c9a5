"""Sending and checking one-time verification codes, with per-phone and per-IP limits."""

import math
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext

from kaowu.core.crypto import blind_index
from kaowu.notifications.providers import SmsDeliveryError
from kaowu.notifications.services import email_send, sms_send

from .models import CodeSendSlot, VerificationCode

Purpose = VerificationCode.Purpose


class VerificationError(Exception):
    """A user-facing problem with a verification code; the message is shown as is."""


class TooSoon(VerificationError):
    def __init__(self, seconds_left: int):
        self.seconds_left = seconds_left
        super().__init__(gettext("发送过于频繁，请%(n)s秒后再试") % {"n": seconds_left})


_SMS_TEMPLATES = {
    Purpose.REGISTER: "您正在注册考生账号，验证码{code}，{minutes}分钟内有效。如非本人操作，请忽略本短信。",
    Purpose.LOGIN: "您正在登录考生服务平台，验证码{code}，{minutes}分钟内有效。请勿将验证码告诉他人。",
    Purpose.RESET_PASSWORD: "您正在找回密码，验证码{code}，{minutes}分钟内有效。请勿将验证码告诉他人。",
    Purpose.CHANGE_PHONE_OLD: "您正在更换绑定手机号（原手机验证），验证码{code}，{minutes}分钟内有效。",
    Purpose.CHANGE_PHONE_NEW: "您正在将此号码绑定为考生账号手机号，验证码{code}，{minutes}分钟内有效。",
    Purpose.ABANDON_REGISTRATION: "您正在放弃报名，验证码{code}，{minutes}分钟内有效。如非本人操作，请立即修改密码。",
    Purpose.FIND_EXAM_NUMBER: "您正在找回准考证号，验证码{code}，{minutes}分钟内有效。",
    Purpose.APPEAL_NEW_PHONE: "您正在提交账号申诉，验证码{code}，{minutes}分钟内有效。",
}


def _code_hash(*, target: str, purpose: str, code: str) -> str:
    # A keyed hash, not a password hasher: codes live five minutes and attempts are capped,
    # and PBKDF2 would cost half a second per SMS at registration peaks.
    return salted_hmac("kaowu.verification.code", f"{purpose}:{target}:{code}", algorithm="sha256").hexdigest()


def _today_key(kind: str, value: str) -> str:
    # Keyed hash: no phone number, e-mail address or IP address as a key name in Redis.
    digest = salted_hmac("kaowu.verification.limit", f"{kind}:{value}", algorithm="sha256").hexdigest()[:32]
    return f"vcode:{kind}:{timezone.localdate().isoformat()}:{digest}"


def _count_today(key: str) -> int:
    return cache.get(key, 0)


def _bump(key: str) -> None:
    if cache.add(key, 1, 24 * 3600):
        return
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, 24 * 3600)


def _slot_key(*, purpose: str, key: str) -> str:
    return salted_hmac("kaowu.verification.send-slot", f"{purpose}:{key}", algorithm="sha256").hexdigest()


def _seconds_left(sent_at, now) -> int:
    elapsed = (now - sent_at).total_seconds()
    return max(0, math.ceil(settings.KAOWU_SMS_RESEND_SECONDS - elapsed))


def _slot_claim(*, purpose: str, key: str) -> int:
    """Take the right to send a code for `key` now, atomically: 0 when taken (the interval is
    restarted), else the seconds left. Of any number of concurrent callers exactly one gets 0 —
    a single conditional UPDATE, or the INSERT that creates the row (a unique key), decides, on
    SQLite and PostgreSQL alike."""
    slot_key = _slot_key(purpose=purpose, key=key)
    now = timezone.now()
    free_before = now - timedelta(seconds=settings.KAOWU_SMS_RESEND_SECONDS)
    if CodeSendSlot.objects.filter(key=slot_key, sent_at__lte=free_before).update(sent_at=now):
        return 0
    try:
        with transaction.atomic():
            CodeSendSlot.objects.create(key=slot_key, sent_at=now)
        return 0
    except IntegrityError:
        pass
    sent_at = CodeSendSlot.objects.filter(key=slot_key).values_list("sent_at", flat=True).first()
    return max(1, _seconds_left(sent_at, now)) if sent_at else 1


def resend_wait_seconds(*, target: str, purpose: str) -> int:
    """Seconds until another code may be sent for this target — or, for a flow that hides its
    target, the `shown_key` it passes to code_send (0 if one may be sent now)."""
    sent_at = (CodeSendSlot.objects.filter(key=_slot_key(purpose=purpose, key=target))
               .values_list("sent_at", flat=True).first())
    return _seconds_left(sent_at, timezone.now()) if sent_at else 0


def code_send(*, channel: str = VerificationCode.Channel.SMS, target: str, purpose: str,
              ip: str | None, deliver: bool = True, shown_key: str | None = None) -> int:
    """Send a new code; return the seconds before another may be sent. The one place every sender
    goes through: the resend interval is claimed atomically, so a burst of requests sends one code.

    `deliver=False` records the request and applies every limit without sending anything: used
    when the target belongs to no account, so that the answer never reveals whether one exists.

    `shown_key`: for a flow whose visitor must not learn where the code goes (找回密码 by 身份证号
    sends to the account's phone), what the visitor sees — the countdown, TooSoon, the daily limit
    per number — is keyed by it (the method and the identifier typed), never by `target`. The
    target's own interval and daily limit still hold, silently: when they bite, nothing new is
    sent (the code sent a moment ago stays valid) and the answer is the same.
    """
    shown = shown_key or target
    if _count_today(_today_key("target", shown)) >= settings.KAOWU_SMS_DAILY_LIMIT_PER_PHONE:
        raise VerificationError(gettext("该号码今日获取验证码次数已达上限，请明天再试"))
    if ip and _count_today(_today_key("ip", ip)) >= settings.KAOWU_SMS_DAILY_LIMIT_PER_IP:
        raise VerificationError(gettext("当前网络今日获取验证码次数已达上限，请明天再试"))
    wait = _slot_claim(purpose=purpose, key=shown)
    if wait:
        raise TooSoon(wait)
    _bump(_today_key("target", shown))
    if ip:
        _bump(_today_key("ip", ip))
    if shown != target:
        if (_count_today(_today_key("target", target)) >= settings.KAOWU_SMS_DAILY_LIMIT_PER_PHONE
                or _slot_claim(purpose=purpose, key=target)):
            return settings.KAOWU_SMS_RESEND_SECONDS
        _bump(_today_key("target", target))

    code = f"{secrets.randbelow(10**6):06d}"
    ttl = settings.KAOWU_SMS_CODE_TTL_SECONDS
    with transaction.atomic():
        # Only the newest code for a target and purpose is valid.
        VerificationCode.objects.filter(target=stored_target(target), purpose=purpose,
                                        consumed_at__isnull=True).update(consumed_at=timezone.now())
        VerificationCode.objects.create(
            channel=channel, target=stored_target(target), purpose=purpose, code_hash=_code_hash(target=target, purpose=purpose, code=code),
            expires_at=timezone.now() + timedelta(seconds=ttl), requested_ip=ip,
        )

    if deliver:
        text = _SMS_TEMPLATES[purpose].format(code=code, minutes=ttl // 60)
        try:
            if channel == VerificationCode.Channel.EMAIL:
                email_send(to=target, subject="考生服务平台验证码", body=text)
            else:
                sms_send(phone=target, text=text)
        except SmsDeliveryError as exc:
            raise VerificationError(gettext("短信发送失败，请确认手机号能正常接收短信后重试")) from exc
    return settings.KAOWU_SMS_RESEND_SECONDS


def stored_target(target: str) -> str:
    """What the codes table keeps of a phone or e-mail address: a keyed hash, never the number itself
    (a code lives minutes; its row stays for the limits and the record)."""
    return "h:" + blind_index(target.strip().lower(), context="verification_verificationcode.target")


def code_verify(*, target: str, purpose: str, code: str, consume: bool = True) -> None:
    """Check a code typed by the user; raise VerificationError with the reason if it fails."""
    with transaction.atomic():
        record = (
            VerificationCode.objects.select_for_update()
            .filter(target=stored_target(target), purpose=purpose, consumed_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if record is None or record.expires_at <= timezone.now():
            error = gettext("验证码错误或已过期，请重新获取")
        elif record.failed_attempts >= settings.KAOWU_CODE_MAX_ATTEMPTS:
            error = gettext("验证码错误次数过多，请重新获取")
        elif not constant_time_compare(
            _code_hash(target=target, purpose=purpose, code=(code or "").strip()), record.code_hash
        ):
            record.failed_attempts += 1
            record.save(update_fields=["failed_attempts"])
            error = gettext("验证码错误或已过期，请重新获取")
        else:
            error = None
            if consume:
                record.consumed_at = timezone.now()
                record.save(update_fields=["consumed_at"])
    if error:
        raise VerificationError(error)
