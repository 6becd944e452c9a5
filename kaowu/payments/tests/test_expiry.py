"""Unpaid orders expire: the page counts down, the job expires them (asking the gateway first), and
the gateway's cashier refuses payment after the deadline."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from kaowu.payments.models import DevGatewayTransaction, Order
from kaowu.payments.services import orders_expire_due

from .helpers import page_text

pytestmark = pytest.mark.django_db


def test_the_order_page_counts_down_to_the_deadline(client, candidate, make_order):
    order = make_order(candidate.user)
    with time_machine.travel(order.expires_at - datetime.timedelta(minutes=12), tick=False):
        html = client.get(f"/payments/orders/{order.number}/").content.decode()
    assert 'data-seconds-left="720"' in html and "剩余缴费时间" in html


def test_the_job_expires_pending_orders_past_their_deadline_only(user, make_order, committed):
    due = make_order(user, reference="a")
    later = make_order(user, reference="b")
    Order.objects.filter(pk=later.pk).update(expires_at=later.expires_at + datetime.timedelta(hours=1))
    with time_machine.travel(due.expires_at + datetime.timedelta(seconds=1), tick=False), committed():
        assert orders_expire_due() == 1
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == Order.Status.EXPIRED and later.status == Order.Status.PENDING
    change = due.history.last()
    assert change.comment == "超过缴费期限未缴费，订单已失效" and change.actor is None


def test_the_job_records_a_payment_the_notification_missed_instead_of_expiring(client, candidate, make_order,
                                                                              pay_on_gateway, committed):
    order = make_order(candidate.user)
    pay_on_gateway(order, notify_mode="lost")
    with time_machine.travel(order.expires_at + datetime.timedelta(minutes=5), tick=False), committed():
        assert orders_expire_due() == 0
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_an_expired_order_is_closed_at_the_gateway(client, candidate, make_order, committed):
    order = make_order(candidate.user)
    cashier = client.post(f"/payments/orders/{order.number}/pay/", {"channel": "zhengfutong"})["Location"]
    with time_machine.travel(order.expires_at + datetime.timedelta(seconds=1), tick=False), committed():
        call_command("payments_expire_orders")
    assert DevGatewayTransaction.objects.get(out_trade_no=order.number).status == DevGatewayTransaction.Status.CLOSED
    assert "订单已关闭" in page_text(client.get(cashier))


def test_the_cashier_refuses_payment_after_the_deadline(client, candidate, make_order):
    order = make_order(candidate.user)
    cashier = client.post(f"/payments/orders/{order.number}/pay/", {"channel": "wechat"})["Location"]
    phone = Client()  # the payer's phone, which scanned the QR code: not signed in to the platform
    with time_machine.travel(order.expires_at + datetime.timedelta(seconds=1), tick=False):
        assert "订单已超时" in page_text(phone.get(cashier))
        response = phone.post(cashier, {"action": "pay", "notify_mode": "normal"})
    assert response.status_code == 409 and "订单已超过支付时间" in page_text(response)


def test_opening_an_overdue_order_shows_it_expired(client, candidate, make_order):
    order = make_order(candidate.user)
    with time_machine.travel(order.expires_at + datetime.timedelta(seconds=1), tick=False):
        page = page_text(client.get(f"/payments/orders/{order.number}/"))
    assert "已过期" in page and "订单已超过缴费期限，不能再缴费" in page and "去缴费" not in page
