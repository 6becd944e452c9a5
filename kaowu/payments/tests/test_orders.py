"""order_create / order_cancel / order_pay_start and the order state machine, through the service API
the business apps use."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from kaowu.core.state import IllegalTransition
from kaowu.payments import services
from kaowu.payments.models import ORDER_FLOW, Order, OrderStatusChange, PaymentAttempt
from kaowu.payments.services import ItemSpec, OrderAlreadyPaid, PaymentError

from .helpers import COURSES

pytestmark = pytest.mark.django_db
Status = Order.Status


def test_an_order_is_created_pending_with_items_an_amount_and_a_deadline(user, make_order):
    before = timezone.now()
    order = make_order(user)
    assert order.status == Status.PENDING and order.amount == Decimal("60.00")
    assert order.number.startswith("KW" + timezone.localdate().strftime("%Y%m%d")) and len(order.number) == 18
    assert [(i.description, i.total) for i in order.items.all()] == [(COURSES[0].description, Decimal("30.00")),
                                                                    (COURSES[1].description, Decimal("30.00"))]
    assert before + datetime.timedelta(minutes=29) < order.expires_at <= timezone.now() + datetime.timedelta(minutes=30)
    change = order.history.get()
    assert (change.from_status, change.to_status, change.actor, change.comment) == ("", Status.PENDING, user, "创建订单")


def test_submitting_the_same_items_again_returns_the_same_order(user, make_order):
    first = make_order(user)
    assert make_order(user).pk == first.pk
    assert Order.objects.count() == 1


def test_other_items_replace_the_unpaid_order(user, make_order):
    first = make_order(user)
    second = make_order(user, items=COURSES[:1])
    first.refresh_from_db()
    assert first.status == Status.CANCELLED and second.status == Status.PENDING and second.amount == Decimal("30.00")
    assert first.history.last().comment == "已被新订单替代"
    assert Order.objects.filter(status=Status.PENDING).count() == 1


def test_orders_of_other_references_or_purposes_live_side_by_side(user, make_order):
    make_order(user, reference="reg-1")
    make_order(user, reference="reg-2")
    make_order(user, reference="reg-1", purpose=Order.Purpose.TRANSFER_OUT)
    assert Order.objects.filter(status=Status.PENDING).count() == 3


def test_an_unpaid_order_paid_at_the_gateway_is_not_replaced(user, make_order, committed):
    from kaowu.payments.devgateway import gateway

    order = make_order(user)
    services.order_pay_start(order=order, channel="wechat")
    trade = gateway.trade_query(channel="wechat", out_trade_no=order.number)
    with committed():
        gateway.trade_pay(trade_no=trade.trade_no, notify_mode="lost", delay_seconds=0)
    with pytest.raises(OrderAlreadyPaid, match="已缴费成功"), committed():
        services.order_create(user=user, purpose=order.purpose, reference=order.reference, items=COURSES[:1],
                              actor=user)
    order.refresh_from_db()
    assert order.status == Status.PAID


def test_a_new_order_after_a_paid_one_is_allowed(user, make_order, committed):
    """报考 adds courses after paying: a new order for the added courses, same business object."""
    from kaowu.payments.devgateway import gateway

    order = make_order(user)
    services.order_pay_start(order=order, channel="wechat")
    with committed():
        gateway.trade_pay(trade_no=gateway.trade_query(channel="wechat", out_trade_no=order.number).trade_no,
                          notify_mode="normal", delay_seconds=0)
    added = make_order(user, items=[ItemSpec(description="00024 普通逻辑 报考费", amount=Decimal("30.00"))])
    assert added.pk != order.pk and added.status == Status.PENDING


@pytest.mark.parametrize("items, message", [
    ([], "至少要有一项"),
    ([ItemSpec(description="免费项目", amount=Decimal("0.00"))], "至少为 0.01 元"),
    ([ItemSpec(description="负数", amount=Decimal("-1"))], "收费项目无效"),
])
def test_invalid_items_are_refused(user, items, message):
    with pytest.raises(PaymentError, match=message):
        services.order_create(user=user, purpose=Order.Purpose.COURSE_REGISTRATION, reference="x", items=items,
                              actor=user)


def test_the_database_refuses_a_second_pending_order_and_a_zero_amount(user, make_order):
    from django.db import IntegrityError, transaction

    order = make_order(user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.create(number="KW0", user=user, purpose=order.purpose, reference=order.reference, title="x",
                             amount=Decimal("1"), expires_at=order.expires_at)
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.create(number="KW1", user=user, purpose=order.purpose, reference="other", title="x",
                             amount=Decimal("0"), expires_at=order.expires_at)


# --- the state machine ------------------------------------------------------------------------

@pytest.mark.parametrize("current, target", [
    (Status.PAID, Status.PAID),
    (Status.PAID, Status.PENDING),
    (Status.PAID, Status.CANCELLED),
    (Status.CANCELLED, Status.PAID),
    (Status.EXPIRED, Status.PAID),
    (Status.REFUNDED, Status.PAID),
    (Status.PENDING, Status.REFUNDED),
])
def test_illegal_transitions_are_refused(current, target):
    with pytest.raises(IllegalTransition):
        ORDER_FLOW.require(current, target)


def test_a_paid_order_cannot_be_cancelled(user, make_order, committed):
    from kaowu.payments.devgateway import gateway

    order = make_order(user)
    services.order_pay_start(order=order, channel="alipay")
    with committed():
        gateway.trade_pay(trade_no=gateway.trade_query(channel="alipay", out_trade_no=order.number).trade_no,
                          notify_mode="normal", delay_seconds=0)
    with pytest.raises(OrderAlreadyPaid, match="不能取消"):
        services.order_cancel(order=order, actor=user)


def test_cancel_before_paying_asks_the_gateway_first(user, make_order, committed):
    """The candidate paid but the notification was lost: 取消 finds the payment instead of cancelling."""
    from kaowu.payments.devgateway import gateway

    order = make_order(user)
    services.order_pay_start(order=order, channel="wechat")
    with committed():
        gateway.trade_pay(trade_no=gateway.trade_query(channel="wechat", out_trade_no=order.number).trade_no,
                          notify_mode="lost", delay_seconds=0)
    with pytest.raises(OrderAlreadyPaid), committed():
        services.order_cancel(order=order, actor=user)
    order.refresh_from_db()
    assert order.status == Status.PAID


def test_cancel_before_paying(client, candidate, make_order, committed):
    order = make_order(candidate.user)
    with committed():
        response = client.post(f"/payments/orders/{order.number}/cancel/", follow=True)
    order.refresh_from_db()
    assert order.status == Status.CANCELLED
    page = response.content.decode()
    assert "订单已取消" in page and "去缴费" not in page
    change = order.history.last()
    assert change.actor == candidate.user and change.source == OrderStatusChange.Source.USER


@pytest.mark.parametrize("status", [Status.CANCELLED, Status.EXPIRED])
def test_paying_a_cancelled_or_expired_order_is_refused_on_the_server(client, candidate, make_order, status):
    order = make_order(candidate.user)
    Order.objects.filter(pk=order.pk).update(status=status)
    response = client.post(f"/payments/orders/{order.number}/pay/", {"channel": "wechat"}, follow=True)
    assert "不能缴费" in response.content.decode()
    assert not PaymentAttempt.objects.exists()


def test_paying_after_the_deadline_is_refused_and_the_order_expires(client, candidate, make_order):
    order = make_order(candidate.user)
    with time_machine.travel(order.expires_at + datetime.timedelta(seconds=1), tick=False):
        response = client.post(f"/payments/orders/{order.number}/pay/", {"channel": "wechat"}, follow=True)
    assert "订单已过期，不能缴费" in response.content.decode()
    order.refresh_from_db()
    assert order.status == Status.EXPIRED and not PaymentAttempt.objects.exists()


def test_an_unknown_channel_is_refused(client, candidate, make_order):
    order = make_order(candidate.user)
    response = client.post(f"/payments/orders/{order.number}/pay/", {"channel": "paypal"})
    assert response.status_code == 400 and "不支持该支付方式" in response.content.decode()


def test_on_order_paid_callbacks_run_after_commit(user, make_order, committed):
    from kaowu.payments.devgateway import gateway
    from kaowu.payments.services import callbacks

    seen = []
    services.on_order_paid(Order.Purpose.COURSE_REGISTRATION, lambda order: seen.append((order.number, order.status)))
    services.on_order_paid(Order.Purpose.TRANSFER_OUT, lambda order: seen.append("wrong purpose"))
    try:
        order = make_order(user)
        services.order_pay_start(order=order, channel="wechat")
        trade_no = gateway.trade_query(channel="wechat", out_trade_no=order.number).trade_no
        with committed() as callbacks_run:
            gateway.trade_pay(trade_no=trade_no, notify_mode="duplicate", delay_seconds=0)
            assert seen == []  # nothing before the commit
        assert callbacks_run
        assert seen == [(order.number, Status.PAID)]  # once, though notified twice
    finally:
        callbacks._paid_callbacks.clear()


def test_a_failing_callback_does_not_undo_the_payment(user, make_order, committed):
    from kaowu.payments.devgateway import gateway
    from kaowu.payments.services import callbacks

    def broken(order):
        raise RuntimeError("报考 is down")

    services.on_order_paid(Order.Purpose.COURSE_REGISTRATION, broken)
    try:
        order = make_order(user)
        services.order_pay_start(order=order, channel="wechat")
        with committed():
            gateway.trade_pay(trade_no=gateway.trade_query(channel="wechat", out_trade_no=order.number).trade_no,
                              notify_mode="normal", delay_seconds=0)
        order.refresh_from_db()
        assert order.status == Status.PAID
    finally:
        callbacks._paid_callbacks.clear()
