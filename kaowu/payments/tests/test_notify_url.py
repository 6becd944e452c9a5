"""The notify URL: every notification is logged; a forged signature or a wrong amount or currency
changes nothing; the same notification twice pays once."""

import pytest
from django.conf import settings

from kaowu.payments.models import Order, PaymentNotification, ReconciliationIssue

from .helpers import notification_for, post_notification, signed

pytestmark = pytest.mark.django_db
Result = PaymentNotification.Result


@pytest.fixture
def order(user, make_order):
    return make_order(user)


def test_a_signed_notification_pays_the_order(client, order, committed):
    body = notification_for(order)
    with committed():
        response = post_notification(client, body, signed(body, secret=settings.KAOWU_PAYMENT_DEV_SECRET))
    assert response.status_code == 200 and b"SUCCESS" in response.content
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and order.provider_trade_no == "4200202704010000000001"
    log = PaymentNotification.objects.get()
    assert log.signature_ok and log.amount_ok and log.result == Result.APPLIED and log.body == body.decode()
    assert log.headers["x-devpay-signature"]


def test_a_forged_signature_is_refused_and_logged(client, order):
    body = notification_for(order)
    response = post_notification(client, body, signed(body, secret="not-the-shared-secret"))
    assert response.status_code == 400
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING
    log = PaymentNotification.objects.get()
    assert log.signature_ok is False and log.result == Result.BAD_SIGNATURE and "签名验证失败" in log.message


def test_a_body_changed_after_signing_is_refused(client, order):
    body = notification_for(order)
    headers = signed(body, secret=settings.KAOWU_PAYMENT_DEV_SECRET)
    tampered = body.replace(b'"total":6000', b'"total":1')
    response = post_notification(client, tampered, headers)
    assert response.status_code == 400
    assert PaymentNotification.objects.get().result == Result.BAD_SIGNATURE
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING


def test_a_notification_without_signature_is_refused(client, order):
    response = post_notification(client, notification_for(order), {})
    assert response.status_code == 400
    assert PaymentNotification.objects.get().result == Result.BAD_SIGNATURE


def test_an_amount_that_differs_from_the_order_is_refused(client, order):
    body = notification_for(order, fen=100)  # ¥1.00 for a ¥60.00 order, correctly signed
    response = post_notification(client, body, signed(body, secret=settings.KAOWU_PAYMENT_DEV_SECRET))
    assert response.status_code == 400
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING
    log = PaymentNotification.objects.get()
    assert log.signature_ok and log.amount_ok is False and log.result == Result.AMOUNT_MISMATCH


def test_another_currency_is_refused(client, order):
    body = notification_for(order, currency="USD")
    post_notification(client, body, signed(body, secret=settings.KAOWU_PAYMENT_DEV_SECRET))
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING
    assert PaymentNotification.objects.get().result == Result.AMOUNT_MISMATCH


def test_a_notification_for_another_channel_url_is_refused(client, order):
    body = notification_for(order, channel="alipay")
    response = post_notification(client, body, signed(body, secret=settings.KAOWU_PAYMENT_DEV_SECRET), channel="wechat")
    assert response.status_code == 400
    assert PaymentNotification.objects.get().result == Result.BAD_SIGNATURE


def test_the_same_notification_twice_pays_once_and_is_logged_as_duplicate(client, order, committed):
    body = notification_for(order)
    for nonce in ("first", "second"):
        with committed():
            response = post_notification(client, body, signed(body, secret=settings.KAOWU_PAYMENT_DEV_SECRET,
                                                              nonce=nonce))
        assert response.status_code == 200  # acknowledged both times: the gateway stops re-sending
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.payments.count() == 1 and order.refunds.count() == 0
    assert order.history.filter(to_status=Order.Status.PAID).count() == 1
    assert list(PaymentNotification.objects.order_by("id").values_list("result", "duplicate")) == [
        (Result.APPLIED, False), (Result.DUPLICATE, True)]


def test_a_notification_for_an_unknown_order_is_flagged(client, order):
    order.number = "KW2099010100000000"  # not saved: an order number the platform never issued
    body = notification_for(order)
    response = post_notification(client, body, signed(body, secret=settings.KAOWU_PAYMENT_DEV_SECRET))
    assert response.status_code == 400
    assert PaymentNotification.objects.get().result == Result.UNKNOWN_ORDER
    assert ReconciliationIssue.objects.get().kind == ReconciliationIssue.Kind.UNKNOWN_ORDER


def test_an_unknown_channel_is_refused(client, order):
    body = notification_for(order)
    response = post_notification(client, body, signed(body, secret=settings.KAOWU_PAYMENT_DEV_SECRET), channel="paypal")
    assert response.status_code == 404
    assert PaymentNotification.objects.get().result == Result.ERROR


def test_the_notify_url_needs_no_csrf_token_but_only_accepts_post(order):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    body = notification_for(order)
    assert post_notification(strict, body, signed(body, secret=settings.KAOWU_PAYMENT_DEV_SECRET)).status_code == 200
    assert strict.get("/payments/notify/wechat/").status_code == 405
