"""Concurrency, on PostgreSQL: 50 threads submitting the same 报考 leave one registration and one
order; 50 deliveries of its payment notification pay it once and tell 报考 once.

Run with KAOWU_DATABASE_URL=postgres://…; skipped on SQLite (one writer at a time, no row locks)."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from kaowu.payments import services as payments
from kaowu.payments.devgateway import gateway
from kaowu.payments.models import Order, Payment
from kaowu.registration.models import RegisteredCourse, Registration, RegistrationSubmission
from kaowu.registration.services import RegistrationError, registration_submit
from kaowu.testing.concurrency import THREADS, in_threads

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL row locks (set KAOWU_DATABASE_URL=postgres://…)")


def submit(exam_number, world, codes):
    return registration_submit(exam_number=exam_number, sitting=world.sitting, exam_area=world.lanzhou,
                               major=world.accounting, sitting_course_ids=world.ids(*codes), guide_agreed=True,
                               actor=exam_number.candidate.user).pk


def test_fifty_identical_submissions_make_one_registration_and_one_order(world, exam_number):
    results, errors = in_threads(lambda i: submit(exam_number, world, ["00041", "00043"]))
    assert errors == []
    assert Registration.objects.count() == 1 and set(results) == {Registration.objects.get().pk}
    assert Order.objects.count() == 1
    assert RegisteredCourse.objects.count() == 2
    assert Registration.objects.get().submission_count == THREADS


def test_fifty_different_submissions_leave_one_consistent_registration(world, exam_number):
    choices = [["00041"], ["00043"], ["00041", "00043"], ["03708", "00043"], ["00015", "00043"]]
    results, errors = in_threads(lambda i: submit(exam_number, world, choices[i % len(choices)]))
    assert errors == []
    registration = Registration.objects.get()
    assert Order.objects.filter(status=Order.Status.PENDING).count() == 1
    active = sorted(registration.courses.filter(status__in=RegisteredCourse.ACTIVE)
                    .values_list("course__code", flat=True))
    assert active in [sorted(c) for c in choices]
    pending = Order.objects.get(status=Order.Status.PENDING)
    assert sorted(i.description[:5] for i in pending.items.all()) == active  # the order bills exactly those


def test_fifty_deliveries_of_the_payment_pay_the_registration_once(world, exam_number):
    submit(exam_number, world, ["00041", "00043"])
    order = Order.objects.get()
    trade = gateway.trade_open(channel="wechat", out_trade_no=order.number, description=order.title,
                               amount_fen=int(order.amount * 100), notify_url="/payments/notify/", return_url="/",
                               time_expire=timezone.now() + datetime.timedelta(minutes=30),
                               merchant_name="甘肃省教育考试院")
    trade = gateway.trade_pay(trade_no=trade.trade_no, notify_mode="lost", delay_seconds=0)

    def deliver(i):
        headers, body = gateway.notification_message(trade)
        return payments.notification_receive(channel="wechat", headers=headers, body=body).accepted

    results, errors = in_threads(deliver)
    assert errors == [] and all(results)
    assert Payment.objects.filter(order=order).count() == 1
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.SUCCEEDED
    assert set(registration.courses.values_list("status", flat=True)) == {RegisteredCourse.Status.PAID}
    assert registration.submissions.filter(action=RegistrationSubmission.Action.PAID).count() == 1


def test_submissions_racing_a_payment_never_lose_the_payment(world, exam_number):
    submit(exam_number, world, ["00041"])
    order = Order.objects.get()
    payments.order_pay_start(order=order, channel="wechat")
    trade_no = gateway.trade_query(channel="wechat", out_trade_no=order.number).trade_no

    def work(i):
        if i == 0:
            return gateway.trade_pay(trade_no=trade_no, notify_mode="normal", delay_seconds=0)
        try:
            return submit(exam_number, world, ["00041", "00043"] if i % 2 else ["00041"])
        except RegistrationError as exc:  # "已缴费成功，请刷新页面" is a fine answer to a racing change
            return exc.message

    results, errors = in_threads(work, n=20)
    assert errors == []
    order.refresh_from_db()
    registration = Registration.objects.get()
    paid_course = registration.courses.get(course__code="00041", status__in=RegisteredCourse.ACTIVE)
    if order.status == Order.Status.PAID:
        assert paid_course.status == RegisteredCourse.Status.PAID and paid_course.order_item.order == order
    else:  # the order was replaced before the charge: the late charge is refunded automatically
        assert order.refunds.exists() or not order.payments.exists()
