"""The resend interval is one atomic claim in code_send, the place every sender goes through: a
burst of parallel requests for one phone sends one code (on SQLite here, on PostgreSQL in CI with
KAOWU_DATABASE_URL, with the 50 threads of the other concurrency tests)."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from kaowu.notifications.models import DevInboxMessage
from kaowu.testing.concurrency import THREADS, in_threads
from kaowu.verification.models import VerificationCode
from kaowu.verification.services import TooSoon, code_send, resend_wait_seconds, stored_target

REGISTER = VerificationCode.Purpose.REGISTER
RESET = VerificationCode.Purpose.RESET_PASSWORD
PHONE = "13800138000"


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_parallel_sends_to_one_phone_sends_one_code():
    n = THREADS if connection.vendor == "postgresql" else 10
    results, errors = in_threads(lambda i: code_send(target=PHONE, purpose=REGISTER, ip=f"10.0.0.{i}"), n=n)
    assert results == [60]
    assert len(errors) == n - 1 and all(isinstance(error, TooSoon) for error in errors)
    assert DevInboxMessage.objects.filter(recipient=PHONE).count() == 1
    assert VerificationCode.objects.filter(target=stored_target(PHONE)).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_burst_for_different_phones_sends_to_each():
    results, errors = in_threads(lambda i: code_send(target=f"1380013{i:04d}", purpose=REGISTER, ip=None), n=8)
    assert errors == [] and len(results) == 8
    assert DevInboxMessage.objects.count() == 8


def test_what_the_visitor_sees_is_keyed_by_the_shown_key_not_by_the_target(db):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        # 找回密码 by 身份证号 sends to the account's phone ...
        assert code_send(target=PHONE, purpose=RESET, ip=None, shown_key="reset:id:A") == 60
        assert DevInboxMessage.objects.filter(recipient=PHONE).count() == 1
        clock.shift(timedelta(seconds=10))
        # ... and then by that phone: no countdown carried over from the other identifier,
        assert resend_wait_seconds(target="reset:phone:P", purpose=RESET) == 0
        assert code_send(target=PHONE, purpose=RESET, ip=None, shown_key="reset:phone:P") == 60
        # but the phone's own interval still holds, silently: no second SMS inside the minute,
        assert DevInboxMessage.objects.filter(recipient=PHONE).count() == 1
        # and the countdown of each identifier is its own.
        assert resend_wait_seconds(target="reset:id:A", purpose=RESET) == 50
        with pytest.raises(TooSoon) as refused:
            code_send(target=PHONE, purpose=RESET, ip=None, shown_key="reset:id:A")
        assert refused.value.seconds_left == 50
        clock.shift(timedelta(seconds=61))
        code_send(target=PHONE, purpose=RESET, ip=None, shown_key="reset:phone:P")
        assert DevInboxMessage.objects.filter(recipient=PHONE).count() == 2


def test_the_daily_limit_shown_is_per_shown_key_and_the_targets_own_limit_is_silent(db, settings):
    settings.KAOWU_SMS_RESEND_SECONDS = 0
    settings.KAOWU_SMS_DAILY_LIMIT_PER_PHONE = 2
    for key in ("reset:id:A", "reset:id:A", "reset:phone:P"):
        code_send(target=PHONE, purpose=RESET, ip=None, shown_key=key)  # the third is not refused ...
    assert DevInboxMessage.objects.filter(recipient=PHONE).count() == 2  # ... but sends nothing
