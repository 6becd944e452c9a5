"""去缴费 → the channel's cashier → 支付成功 / 支付失败 / 放弃, with the notification arriving normally,
late, twice or never; 我已缴费 and the gateway's 立即送达 repair what did not arrive."""

import datetime

import pytest

from kaowu.payments.models import DevGatewayTransaction, Order, Payment, PaymentNotification

from .helpers import page_text

pytestmark = pytest.mark.django_db
Mode = DevGatewayTransaction.NotifyMode


def _order_page(client, order):
    return page_text(client.get(f"/payments/orders/{order.number}/"))


def test_the_candidate_pays_with_wechat_and_the_order_is_paid(client, candidate, make_order, pay_on_gateway):
    order = make_order(candidate.user)
    result, trade = pay_on_gateway(order, channel="wechat")

    assert result.status_code == 302 and result["Location"].endswith(f"/payments/orders/{order.number}/?from=gateway")
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.provider == "wechat" and order.provider_trade_no == trade.trade_no
    page = _order_page(client, order)
    assert "已缴费" in page and "通过微信支付缴费成功" in page and "去缴费" not in page
    assert [n.result for n in PaymentNotification.objects.all()] == [PaymentNotification.Result.APPLIED]


def test_the_cashier_shows_the_merchant_the_amount_and_a_qr_code(client, candidate, make_order):
    order = make_order(candidate.user)
    response = client.post(f"/payments/orders/{order.number}/pay/", {"channel": "alipay"})
    cashier = client.get(response["Location"])
    text = page_text(cashier)
    assert "支付宝" in text and "甘肃省教育考试院" in text and "60.00" in text and order.number in text
    assert "<svg" in cashier.content.decode()
    assert "支付成功" in text and "支付失败" in text and "放弃支付" in text


@pytest.mark.parametrize("channel", ["wechat", "alipay", "unionpay", "zhengfutong"])
def test_every_channel_is_served_by_the_development_gateway(client, candidate, make_order, pay_on_gateway, channel):
    order = make_order(candidate.user)
    pay_on_gateway(order, channel=channel)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and order.provider == channel


def test_a_failed_payment_leaves_the_order_unpaid_and_it_can_be_paid_again(client, candidate, make_order,
                                                                          pay_on_gateway):
    order = make_order(candidate.user)
    result, trade = pay_on_gateway(order, action="fail")
    assert trade.status == DevGatewayTransaction.Status.PAYERROR
    assert "支付失败：余额不足" in page_text(client.get(result["Location"]))
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING

    pay_on_gateway(order)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_abandoning_returns_to_the_order_page_unpaid(client, candidate, make_order, pay_on_gateway):
    order = make_order(candidate.user)
    result, trade = pay_on_gateway(order, action="abandon")
    assert result["Location"].endswith("?from=gateway")
    assert trade.status == DevGatewayTransaction.Status.NOTPAY
    page = _order_page(client, order) + page_text(client.get(result["Location"]))
    assert "待缴费" in page and "我已缴费" in page


def test_a_lost_notification_is_repaired_by_i_have_paid(client, candidate, make_order, pay_on_gateway, committed):
    order = make_order(candidate.user)
    pay_on_gateway(order, notify_mode=Mode.LOST)
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING
    assert "如果您已在支付页面完成支付" in page_text(client.get(f"/payments/orders/{order.number}/?from=gateway"))

    with committed():
        response = client.post(f"/payments/orders/{order.number}/sync/", follow=True)
    assert "缴费成功，订单状态已更新为“已缴费”" in page_text(response)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert Payment.objects.get(order=order).source == Payment.Source.QUERY
    assert not PaymentNotification.objects.exists()


def test_a_late_notification_arrives_when_the_gateway_delivers_it_and_changes_nothing_twice(
        client, candidate, make_order, pay_on_gateway, committed):
    order = make_order(candidate.user)
    _, trade = pay_on_gateway(order, notify_mode=Mode.LATE, delay_seconds=600)
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING and trade.notify_pending == 1

    # The gateway's page lists it and delivers it on request (as if the delay had passed).
    assert trade.trade_no in page_text(client.get("/payments/dev-gateway/"))
    with committed():
        response = client.post("/payments/dev-gateway/flush/", follow=True)
    assert "已送达 1 条待发通知" in page_text(response)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert Payment.objects.get(order=order).source == Payment.Source.NOTIFICATION


def test_a_late_notification_after_i_have_paid_is_logged_as_a_duplicate(client, candidate, make_order,
                                                                        pay_on_gateway, committed):
    order = make_order(candidate.user)
    pay_on_gateway(order, notify_mode=Mode.LATE, delay_seconds=600)
    with committed():
        client.post(f"/payments/orders/{order.number}/sync/")
    with committed():
        client.post("/payments/dev-gateway/flush/")
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and order.payments.count() == 1
    notification = PaymentNotification.objects.get()
    assert notification.duplicate and notification.result == PaymentNotification.Result.DUPLICATE


def test_a_notification_sent_twice_pays_the_order_once(client, candidate, make_order, pay_on_gateway):
    order = make_order(candidate.user)
    _, trade = pay_on_gateway(order, notify_mode=Mode.DUPLICATE)
    trade.refresh_from_db()
    assert trade.notify_sent == 2
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.payments.count() == 1 and order.history.filter(to_status=Order.Status.PAID).count() == 1
    results = sorted(PaymentNotification.objects.values_list("result", "duplicate"))
    assert results == [("applied", False), ("duplicate", True)]


def test_the_cashier_refuses_a_cancelled_order(client, candidate, make_order, committed):
    order = make_order(candidate.user)
    cashier_url = client.post(f"/payments/orders/{order.number}/pay/", {"channel": "wechat"})["Location"]
    with committed():
        client.post(f"/payments/orders/{order.number}/cancel/")
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert "订单已关闭" in page_text(client.get(cashier_url))
    response = client.post(cashier_url, {"action": "pay", "notify_mode": "normal", "delay_seconds": 60})
    assert response.status_code == 409 and "该订单已关闭" in page_text(response)


def test_with_a_backend_that_can_defer_a_late_notification_is_a_job_for_later(settings, user, make_order,
                                                                                committed):
    """Production-like workers (django_tasks_db) run the late notification at its due time."""
    from django_tasks import default_task_backend

    from kaowu.payments.devgateway import gateway
    from kaowu.payments.services import order_pay_start

    order = make_order(user)
    order_pay_start(order=order, channel="wechat")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    trade = gateway.trade_query(channel="wechat", out_trade_no=order.number)
    with committed():
        trade = gateway.trade_pay(trade_no=trade.trade_no, notify_mode=Mode.LATE, delay_seconds=90)
    [job] = default_task_backend.results
    assert job.task.name == "dev_gateway_notify_task" and job.kwargs == {"trade_no": trade.trade_no}
    assert job.task.run_after == trade.notify_due_at == trade.paid_at + datetime.timedelta(seconds=90)
