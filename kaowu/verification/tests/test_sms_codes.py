import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from kaowu.notifications.models import DevInboxMessage
from kaowu.verification.models import VerificationCode
from kaowu.verification.services import TooSoon, VerificationError, code_send, code_verify

REGISTER = VerificationCode.Purpose.REGISTER
LOGIN = VerificationCode.Purpose.LOGIN
PHONE = "13800138000"


def _sent_code(phone=PHONE):
    body = DevInboxMessage.objects.filter(recipient=phone).latest("id").body
    return re.search(r"验证码(\d{6})", body).group(1)


def _wrong(code):
    return f"{(int(code) + 1) % 10**6:06d}"


def test_a_sent_code_arrives_in_the_dev_inbox_and_verifies_once(db):
    assert code_send(target=PHONE, purpose=REGISTER, ip="10.0.0.1") == 60
    code = _sent_code()
    code_verify(target=PHONE, purpose=REGISTER, code=code)
    with pytest.raises(VerificationError):
        code_verify(target=PHONE, purpose=REGISTER, code=code)


def test_a_code_is_bound_to_its_purpose(db):
    code_send(target=PHONE, purpose=REGISTER, ip=None)
    with pytest.raises(VerificationError):
        code_verify(target=PHONE, purpose=LOGIN, code=_sent_code())


def test_a_second_code_within_60_seconds_is_refused_with_the_seconds_left(db):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        code_send(target=PHONE, purpose=REGISTER, ip=None)
        clock.shift(timedelta(seconds=20))
        with pytest.raises(TooSoon) as refused:
            code_send(target=PHONE, purpose=REGISTER, ip=None)
        assert refused.value.seconds_left == 40
        assert "40秒" in str(refused.value)
        clock.shift(timedelta(seconds=41))
        code_send(target=PHONE, purpose=REGISTER, ip=None)


def test_codes_expire_after_five_minutes(db):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        code_send(target=PHONE, purpose=REGISTER, ip=None)
        clock.shift(timedelta(minutes=5, seconds=1))
        with pytest.raises(VerificationError, match="已过期"):
            code_verify(target=PHONE, purpose=REGISTER, code=_sent_code())


def test_only_the_newest_code_is_valid(db):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        code_send(target=PHONE, purpose=REGISTER, ip=None)
        first = _sent_code()
        clock.shift(timedelta(seconds=61))
        code_send(target=PHONE, purpose=REGISTER, ip=None)
        second = _sent_code()
        if first == second:
            pytest.skip("the same six digits were drawn twice")
        with pytest.raises(VerificationError):
            code_verify(target=PHONE, purpose=REGISTER, code=first)
        code_verify(target=PHONE, purpose=REGISTER, code=second)


def test_five_wrong_tries_burn_the_code(db):
    code_send(target=PHONE, purpose=REGISTER, ip=None)
    for _ in range(5):
        with pytest.raises(VerificationError):
            code_verify(target=PHONE, purpose=REGISTER, code=_wrong(_sent_code()))
    with pytest.raises(VerificationError, match="次数过多"):
        code_verify(target=PHONE, purpose=REGISTER, code=_sent_code())


def test_ten_codes_a_day_per_phone(db, settings):
    settings.KAOWU_SMS_RESEND_SECONDS = 0
    for _ in range(10):
        code_send(target=PHONE, purpose=REGISTER, ip=None)
    with pytest.raises(VerificationError, match="今日获取验证码次数已达上限"):
        code_send(target=PHONE, purpose=REGISTER, ip=None)


def test_daily_limit_per_ip_across_phones(db, settings):
    settings.KAOWU_SMS_DAILY_LIMIT_PER_IP = 3
    for n in range(3):
        code_send(target=f"1380013800{n}", purpose=REGISTER, ip="10.0.0.9")
    with pytest.raises(VerificationError, match="当前网络"):
        code_send(target="13800138009", purpose=REGISTER, ip="10.0.0.9")


def test_a_refusing_gateway_gives_a_clear_message(db):
    with pytest.raises(VerificationError, match="短信发送失败"):
        code_send(target="19900001234", purpose=REGISTER, ip=None)


def test_silent_send_applies_limits_but_delivers_nothing(db):
    code_send(target=PHONE, purpose=LOGIN, ip=None, deliver=False)
    assert not DevInboxMessage.objects.exists()
    with pytest.raises(TooSoon):
        code_send(target=PHONE, purpose=LOGIN, ip=None, deliver=False)
