"""Concurrency, on PostgreSQL: 50 threads — each with its own database connection — submitting the
same order or delivering the same payment notification leave exactly one order, paid exactly once.

Run with KAOWU_DATABASE_URL=postgres://…; on SQLite (one writer at a time, no row locks) these are
skipped."""

import datetime
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from kaowu.payments import services
from kaowu.payments.devgateway import gateway
from kaowu.payments.models import Order, OrderStatusChange, Payment, PaymentNotification, Refund
from kaowu.payments.services import ItemSpec
from kaowu.testing.concurrency import THREADS, in_threads
from kaowu.testing.factories import UserFactory

from .helpers import COURSES

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL row locks (set KAOWU_DATABASE_URL=postgres://…)")


def _paid_trade(order: Order, channel: str = "wechat"):
    """The candidate paid on the development gateway; the notification has not been sent."""
    trade = gateway.trade_open(channel=channel, out_trade_no=order.number, description=order.title,
                               amount_fen=int(order.amount * 100), notify_url="/payments/notify/", return_url="/",
                               time_expire=timezone.now() + datetime.timedelta(minutes=30), merchant_name="甘肃省教育考试院")
    return gateway.trade_pay(trade_no=trade.trade_no, notify_mode="lost", delay_seconds=0)


def _deliver(trade):
    headers, body = gateway.notification_message(trade)
    return services.notification_receive(channel=trade.channel, headers=headers, body=body).accepted


def test_fifty_identical_submissions_make_one_order():
    user = UserFactory()
    results, errors = in_threads(lambda i: services.order_create(
        user=user, purpose=Order.Purpose.COURSE_REGISTRATION, reference="reg-42", items=COURSES, actor=user).pk)
    assert errors == []
    assert Order.objects.count() == 1 and set(results) == {Order.objects.get().pk}


def test_fifty_different_submissions_leave_one_pending_order():
    user = UserFactory()

    def submit(i):
        items = [ItemSpec(description=f"课程{i} 报考费", amount=COURSES[0].amount, reference=str(i))]
        return services.order_create(user=user, purpose=Order.Purpose.COURSE_REGISTRATION, reference="reg-42",
                                     items=items, actor=user).pk

    results, errors = in_threads(submit)
    assert errors == []
    assert Order.objects.filter(status=Order.Status.PENDING).count() == 1
    assert Order.objects.count() == THREADS
    assert Order.objects.filter(status=Order.Status.CANCELLED).count() == THREADS - 1


def test_fifty_deliveries_of_the_same_notification_pay_once():
    from kaowu.payments.services import callbacks

    user = UserFactory()
    order = services.order_create(user=user, purpose=Order.Purpose.COURSE_REGISTRATION, reference="reg-42",
                                  items=COURSES, actor=user)
    trade = _paid_trade(order)
    told = Counter()

    def tell(paid):
        told.update([paid.number])

    services.on_order_paid(Order.Purpose.COURSE_REGISTRATION, tell)
    try:
        results, errors = in_threads(lambda i: _deliver(trade))
    finally:
        callbacks._paid_callbacks[Order.Purpose.COURSE_REGISTRATION].remove(tell)
    assert errors == [] and results == [True] * THREADS  # every delivery acknowledged
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and order.provider_trade_no == trade.trade_no
    assert Payment.objects.filter(order=order).count() == 1
    assert OrderStatusChange.objects.filter(order=order, to_status=Order.Status.PAID).count() == 1
    assert not Refund.objects.exists()
    outcomes = Counter(PaymentNotification.objects.values_list("result", flat=True))
    assert outcomes == {PaymentNotification.Result.APPLIED: 1, PaymentNotification.Result.DUPLICATE: THREADS - 1}
    assert told == {order.number: 1}  # 报考 is told once


def test_fifty_submissions_then_fifty_notifications_one_order_paid_once():
    user = UserFactory()
    created, errors = in_threads(lambda i: services.order_create(
        user=user, purpose=Order.Purpose.COURSE_REGISTRATION, reference="reg-7", items=COURSES, actor=user))
    assert errors == [] and len({o.pk for o in created}) == 1
    trade = _paid_trade(created[0])
    results, errors = in_threads(lambda i: _deliver(trade))
    assert errors == []
    order = Order.objects.get()
    assert order.status == Order.Status.PAID and order.payments.count() == 1


def test_two_charges_racing_pay_the_order_once_and_refund_the_other_once():
    user = UserFactory()
    order = services.order_create(user=user, purpose=Order.Purpose.COURSE_REGISTRATION, reference="reg-42",
                                  items=COURSES, actor=user)
    trades = [_paid_trade(order, "wechat"), _paid_trade(order, "alipay")]
    results, errors = in_threads(lambda i: _deliver(trades[i % 2]))
    assert errors == []
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    outcomes = Counter(Payment.objects.filter(order=order).values_list("outcome", flat=True))
    assert outcomes == {Payment.Outcome.APPLIED: 1, Payment.Outcome.DUPLICATE: 1}
    refund = Refund.objects.get()
    assert refund.kind == Refund.Kind.DUPLICATE and refund.status == Refund.Status.REFUNDED
    assert refund.payment.trade_no != order.provider_trade_no
