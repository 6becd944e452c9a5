"""The notify URL takes anonymous POSTs (issue #12, item 10): it stores nothing of an oversized body
(413), stops an address that posts too much or keeps posting forgeries (429), and refuses a correctly
signed notification whose signed timestamp is not fresh, so a captured notification cannot be
replayed later — while the development gateway's late and duplicate notifications, re-signed when
sent as real gateways do on a retry, still pay the order."""

import datetime
import json
import time
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from kaowu.payments.devgateway import gateway, signing
from kaowu.payments.models import DevGatewayTransaction, Order, PaymentNotification
from kaowu.payments.providers import payment_provider
from kaowu.payments.services import ItemSpec, order_create
from kaowu.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
Result = PaymentNotification.Result
NOTIFY = "/payments/notify/wechat/"


@pytest.fixture
def order(db):
    user = UserFactory(real_name="李梦瑶")
    return order_create(user=user, purpose=Order.Purpose.COURSE_REGISTRATION, reference="reg-1", actor=user,
                        items=[ItemSpec(description="00015 英语（二） 报考费", amount=Decimal("60.00"),
                                        reference="00015")])


def body_for(order, *, trade_no="4200202704010000000001") -> bytes:
    return signing.canonical_body({
        "id": f"N{trade_no}", "event_type": "TRANSACTION.SUCCESS", "channel": "wechat", "merchant": "甘肃省教育考试院",
        "out_trade_no": order.number, "trade_no": trade_no, "trade_state": "SUCCESS",
        "amount": {"total": 6000, "currency": "CNY"}, "success_time": timezone.localtime().isoformat(timespec="seconds"),
    })


def post(client, body: bytes, *, timestamp: int | None = None, secret: str | None = None, ip: str = "203.0.113.7",
         nonce: str = "n1"):
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = signing.signature(secret=secret or settings.KAOWU_PAYMENT_DEV_SECRET, timestamp=timestamp,
                                  nonce=nonce, body=body)
    return client.post(NOTIFY, data=body, content_type="application/json", REMOTE_ADDR=ip,
                       HTTP_X_DEVPAY_TIMESTAMP=timestamp, HTTP_X_DEVPAY_NONCE=nonce, HTTP_X_DEVPAY_SIGNATURE=signature)


def paid(order) -> bool:
    order.refresh_from_db()
    return order.status == Order.Status.PAID


# --- size ---------------------------------------------------------------------------------------

def test_an_oversized_body_is_refused_and_not_stored(client, order):
    junk = json.dumps({"padding": "x" * (64 * 1024)}).encode()
    response = post(client, junk)
    assert response.status_code == 413
    assert not PaymentNotification.objects.exists()


def test_the_size_limit_is_a_setting(client, order, settings):
    settings.KAOWU_PAYMENT_NOTIFY_MAX_BYTES = 100
    assert post(client, body_for(order)).status_code == 413
    settings.KAOWU_PAYMENT_NOTIFY_MAX_BYTES = 64 * 1024
    assert post(client, body_for(order)).status_code == 200 and paid(order)


# --- rate ---------------------------------------------------------------------------------------

def test_an_address_posting_forgeries_is_stopped_before_anything_more_is_stored(client, order, settings):
    settings.KAOWU_PAYMENT_NOTIFY_REFUSED_PER_MINUTE = 3
    for _ in range(3):
        assert post(client, body_for(order), secret="guessed").status_code == 400
    response = post(client, body_for(order), secret="guessed")
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert PaymentNotification.objects.count() == 3
    # Even a genuine notification from that address waits (the gateway delivers again later) …
    assert post(client, body_for(order)).status_code == 429 and not paid(order)
    # … while the gateway's other addresses are not held up.
    assert post(client, body_for(order), ip="198.51.100.1").status_code == 200 and paid(order)


def test_too_many_posts_from_one_address_are_refused(client, order, settings):
    settings.KAOWU_PAYMENT_NOTIFY_PER_MINUTE = 5
    codes = [post(client, body_for(order), nonce=f"n{i}").status_code for i in range(7)]
    assert codes == [200] * 5 + [429] * 2
    assert PaymentNotification.objects.count() == 5


def test_the_limits_start_again_the_next_minute(client, order, settings):
    settings.KAOWU_PAYMENT_NOTIFY_REFUSED_PER_MINUTE = 1
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert post(client, body_for(order), secret="guessed").status_code == 400
        assert post(client, body_for(order)).status_code == 429
        clock.shift(datetime.timedelta(seconds=61))
        assert post(client, body_for(order)).status_code == 200 and paid(order)


# --- freshness ----------------------------------------------------------------------------------

def test_a_notification_signed_ten_minutes_ago_is_refused(client, order):
    response = post(client, body_for(order), timestamp=int(time.time()) - 600)
    assert response.status_code == 400 and not paid(order)
    log = PaymentNotification.objects.get()
    assert log.result == Result.BAD_SIGNATURE and "超过 300 秒" in log.message


def test_a_notification_signed_in_the_future_is_refused(client, order):
    assert post(client, body_for(order), timestamp=int(time.time()) + 600).status_code == 400
    assert not paid(order)


def test_a_notification_signed_within_the_window_is_taken(client, order):
    assert post(client, body_for(order), timestamp=int(time.time()) - 240).status_code == 200
    assert paid(order)


def test_the_window_is_a_setting(client, order, settings):
    settings.KAOWU_PAYMENT_NOTIFY_MAX_AGE_SECONDS = 3600
    assert post(client, body_for(order), timestamp=int(time.time()) - 600).status_code == 200
    assert paid(order)


def test_a_captured_notification_replayed_later_is_refused(client, order, django_capture_on_commit_callbacks):
    provider = payment_provider("wechat")
    with django_capture_on_commit_callbacks(execute=False):  # the gateway's own delivery does not run
        provider.create_payment(order, return_url="/r/", notify_url=NOTIFY)
        trade = gateway.trade_pay(trade_no=DevGatewayTransaction.objects.get().trade_no, notify_mode="lost",
                                  delay_seconds=0)
    headers, body = gateway.notification_message(trade)  # what an eavesdropper saw on the wire
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Content-Type"}
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=10), tick=False):
        response = client.post(NOTIFY, data=body, content_type="application/json", **extra)
    assert response.status_code == 400 and not paid(order)
    assert PaymentNotification.objects.get().result == Result.BAD_SIGNATURE


# --- the development gateway keeps working ------------------------------------------------------

def _pay_on_gateway(order, *, mode: str, delay: int, capture):
    payment_provider("wechat").create_payment(order, return_url="/r/", notify_url=NOTIFY)
    with capture(execute=True):
        return gateway.trade_pay(trade_no=DevGatewayTransaction.objects.get().trade_no, notify_mode=mode,
                                 delay_seconds=delay)


def test_a_late_notification_is_signed_when_sent_and_pays(order, django_capture_on_commit_callbacks):
    _pay_on_gateway(order, mode="late", delay=20 * 60, capture=django_capture_on_commit_callbacks)
    assert not paid(order)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=21), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        assert gateway.notifications_flush(due_only=True) == 1
    assert paid(order)
    assert PaymentNotification.objects.get().result == Result.APPLIED


def test_a_duplicated_notification_pays_once(order, django_capture_on_commit_callbacks):
    _pay_on_gateway(order, mode="duplicate", delay=0, capture=django_capture_on_commit_callbacks)
    assert paid(order) and order.payments.count() == 1
    assert sorted(PaymentNotification.objects.values_list("result", flat=True)) == [Result.APPLIED, Result.DUPLICATE]
