"""A paid order is never paid again: a second charge (重复缴费) is refunded automatically and shown;
a charge for a cancelled or expired order is refunded too, and the order keeps its status."""

import pytest
from django.conf import settings

from kaowu.payments.models import DevGatewayTransaction, Order, Payment, PaymentNotification, Refund

from .helpers import notification_for, page_text, post_notification, signed

pytestmark = pytest.mark.django_db


def test_paying_twice_on_two_channels_refunds_the_second_charge_and_shows_it(client, candidate, make_order,
                                                                             committed):
    order = make_order(candidate.user)
    # Two tabs: the candidate opened the WeChat and the Alipay cashier before paying in either.
    wechat = client.post(f"/payments/orders/{order.number}/pay/", {"channel": "wechat"})["Location"]
    alipay = client.post(f"/payments/orders/{order.number}/pay/", {"channel": "alipay"})["Location"]
    for cashier in (wechat, alipay):
        with committed():
            assert client.post(cashier, {"action": "pay", "notify_mode": "normal"}).status_code == 302

    order.refresh_from_db()
    assert order.status == Order.Status.PAID and order.provider == "wechat"
    duplicate = Payment.objects.get(order=order, outcome=Payment.Outcome.DUPLICATE)
    assert duplicate.channel == "alipay"
    refund = Refund.objects.get(payment=duplicate)
    assert refund.kind == Refund.Kind.DUPLICATE and refund.status == Refund.Status.REFUNDED
    assert refund.amount == order.amount and refund.provider_refund_no
    alipay_trade = DevGatewayTransaction.objects.get(channel="alipay", out_trade_no=order.number)
    assert alipay_trade.refunded_fen == alipay_trade.amount_fen  # the money went back at the gateway
    assert PaymentNotification.objects.filter(result=PaymentNotification.Result.DUPLICATE_CHARGE).count() == 1

    page = page_text(client.get(f"/payments/orders/{order.number}/"))
    assert "重复缴费已自动退款" in page and alipay_trade.trade_no in page and "已退款" in page
    assert order.history.filter(to_status=Order.Status.PAID).count() == 1


def test_the_order_page_refuses_to_start_a_second_payment(client, candidate, make_order, pay_on_gateway):
    order = make_order(candidate.user)
    pay_on_gateway(order)
    response = client.post(f"/payments/orders/{order.number}/pay/", {"channel": "alipay"}, follow=True)
    assert "该订单已缴费，请勿重复缴费" in page_text(response)
    assert not DevGatewayTransaction.objects.filter(channel="alipay").exists()


def test_a_charge_for_a_cancelled_order_is_refunded_and_the_order_stays_cancelled(client, user, make_order,
                                                                                  committed):
    from kaowu.payments.services import order_cancel

    order = make_order(user)
    with committed():
        order_cancel(order=order, actor=user)
    # The gateway still reports a payment made just before the cancellation reached it.
    body = notification_for(order)
    with committed():
        response = post_notification(client, body, signed(body, secret=settings.KAOWU_PAYMENT_DEV_SECRET))
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    payment = Payment.objects.get(order=order)
    assert payment.outcome == Payment.Outcome.LATE
    refund = Refund.objects.get(payment=payment)
    assert refund.kind == Refund.Kind.LATE
    # The development gateway has no such trade (the notification was hand-made): the refund fails
    # visibly for staff to retry, rather than silently.
    assert refund.status == Refund.Status.FAILED and refund.failure_message
    assert PaymentNotification.objects.get().result == PaymentNotification.Result.LATE_PAYMENT


def test_an_expired_order_paid_at_the_gateway_is_refunded(client, candidate, make_order, committed):
    import datetime

    import time_machine
    from django.utils import timezone

    from kaowu.payments.devgateway import gateway
    from kaowu.payments.services import orders_expire_due

    order = make_order(candidate.user)
    client.post(f"/payments/orders/{order.number}/pay/", {"channel": "unionpay"})
    trade = DevGatewayTransaction.objects.get(out_trade_no=order.number)
    # The expiry job runs while the gateway's record says unpaid …
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=31), tick=False), committed():
        assert orders_expire_due() == 1
    order.refresh_from_db()
    assert order.status == Order.Status.EXPIRED
    # … and a payment arrives afterwards anyway (the gateway's clock was late, say).
    DevGatewayTransaction.objects.filter(pk=trade.pk).update(status="notpay", time_expire=timezone.now()
                                                             + datetime.timedelta(hours=1))
    with committed():
        gateway.trade_pay(trade_no=trade.trade_no, notify_mode="normal", delay_seconds=0)
    order.refresh_from_db()
    assert order.status == Order.Status.EXPIRED
    refund = Refund.objects.get(order=order)
    assert refund.kind == Refund.Kind.LATE and refund.status == Refund.Status.REFUNDED
    assert "订单关闭后收到的缴费已自动退款" in page_text(client.get(f"/payments/orders/{order.number}/"))
