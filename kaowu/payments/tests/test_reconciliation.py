"""对账: the gateways' bills against the platform's records. A lost notification is repaired, a
duplicate charge refunded, anything else kept as an issue for staff."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from kaowu.organization.models import Office, Region
from kaowu.payments.models import Order, Payment, ReconciliationIssue, ReconciliationRun, Refund
from kaowu.payments.services import reconciliation_run
from kaowu.testing.factories import OfficeFactory, StaffMemberFactory

from .helpers import page_text

pytestmark = pytest.mark.django_db
Kind = ReconciliationIssue.Kind


def test_reconciliation_repairs_a_lost_notification(client, candidate, make_order, pay_on_gateway, committed):
    order = make_order(candidate.user)
    _, trade = pay_on_gateway(order, notify_mode="lost")
    with committed():
        run = reconciliation_run(date=timezone.localdate())
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert Payment.objects.get(order=order).source == Payment.Source.RECONCILIATION
    assert run.summary["bill_rows"] == 1 and run.summary["repaired"] == 1
    issue = ReconciliationIssue.objects.get()
    assert issue.kind == Kind.LOST_NOTIFICATION and issue.trade_no == trade.trade_no and not issue.needs_attention
    assert order.history.last().source == "gateway"


def test_running_it_again_changes_nothing(client, candidate, make_order, pay_on_gateway, committed):
    order = make_order(candidate.user)
    pay_on_gateway(order)
    with committed():
        first = reconciliation_run(date=timezone.localdate())
        second = reconciliation_run(date=timezone.localdate())
    assert first.summary["matched"] == second.summary["matched"] == 1
    assert second.summary["repaired"] == second.summary["issues"] == 0
    assert not ReconciliationIssue.objects.exists() and Payment.objects.count() == 1


def test_a_duplicate_charge_found_in_the_bill_is_refunded(client, candidate, make_order, committed):
    order = make_order(candidate.user)
    cashiers = [client.post(f"/payments/orders/{order.number}/pay/", {"channel": c})["Location"]
                for c in ("wechat", "alipay")]
    for cashier in cashiers:
        with committed():
            client.post(cashier, {"action": "pay", "notify_mode": "lost"})
    with committed():
        run = reconciliation_run(date=timezone.localdate())
    assert run.summary == {**run.summary, "repaired": 1, "refunded": 1}
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    refund = Refund.objects.get(order=order)
    assert refund.kind == Refund.Kind.DUPLICATE and refund.status == Refund.Status.REFUNDED
    assert set(ReconciliationIssue.objects.values_list("kind", flat=True)) == {Kind.LOST_NOTIFICATION,
                                                                              Kind.DUPLICATE_CHARGE}


def test_a_payment_the_bill_does_not_show_is_flagged_for_staff(client, candidate, make_order, pay_on_gateway,
                                                               committed):
    order = make_order(candidate.user)
    _, trade = pay_on_gateway(order)
    trade.delete()  # the gateway's bill will not have it
    with committed():
        run = reconciliation_run(date=timezone.localdate())
    issue = ReconciliationIssue.objects.get()
    assert issue.kind == Kind.MISSING_ON_GATEWAY and issue.needs_attention and issue.order == order
    assert run.summary["issues"] == 1


def test_a_late_notification_is_sent_when_reconciliation_asks_for_the_bill(client, candidate, make_order,
                                                                          pay_on_gateway, committed):
    import time_machine

    order = make_order(candidate.user)
    pay_on_gateway(order, notify_mode="late", delay_seconds=60)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2), tick=False), committed():
        run = reconciliation_run(date=timezone.localdate())
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert Payment.objects.get().source == Payment.Source.NOTIFICATION and run.summary["matched"] == 1


def test_the_command_reconciles_yesterday_by_default(committed):
    with committed():
        call_command("payments_reconcile")
    assert ReconciliationRun.objects.get().date == timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def province_staff(gansu, client):
    office = OfficeFactory(kind=Office.Kind.PROVINCE_AUTHORITY, region=Region.objects.get(code="620000"),
                           name="甘肃省教育考试院")
    staff = StaffMemberFactory(office=office, user__real_name="赵敏")
    return staff


def test_staff_of_the_province_run_it_from_the_back_office_and_see_the_issues(client, province_staff, make_order,
                                                                             committed):
    from kaowu.payments.services import order_pay_start
    from kaowu.testing.factories import CandidateFactory

    candidate = CandidateFactory()
    order = make_order(candidate.user)
    url = order_pay_start(order=order, channel="wechat")
    client.force_login(candidate.user)
    with committed():
        client.post(url, {"action": "pay", "notify_mode": "lost"})
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING
    client.force_login(province_staff.user)
    with committed():
        response = client.post("/backoffice/payments/reconciliation/", {"date": timezone.localdate().isoformat()},
                               follow=True)
    text = page_text(response)
    assert "对账完成：账单 1 笔" in text and "补记漏单 1 笔" in text
    assert "漏单已补" in page_text(client.get("/backoffice/payments/reconciliation/?show=all"))
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_staff_resolve_an_issue_with_a_note(client, province_staff, committed):
    issue = ReconciliationIssue.objects.create(kind=Kind.UNKNOWN_ORDER, channel="wechat", trade_no="4200X",
                                               date=timezone.localdate(), needs_attention=True)
    client.force_login(province_staff.user)
    assert "平台无此订单" in page_text(client.get("/backoffice/payments/reconciliation/"))
    client.post(f"/backoffice/payments/reconciliation/issues/{issue.pk}/resolve/", {"resolution": "已与微信支付核实"})
    issue.refresh_from_db()
    assert issue.resolved_by == province_staff.user and issue.resolution == "已与微信支付核实"


def test_only_the_province_authority_reconciles(client, gansu):
    area = OfficeFactory(kind=Office.Kind.EXAM_AREA, region=Region.objects.get(code="620100"))
    client.force_login(StaffMemberFactory(office=area).user)
    assert "对账由省级考试机构办理" in page_text(client.get("/backoffice/payments/reconciliation/"))
    client.post("/backoffice/payments/reconciliation/", {"date": timezone.localdate().isoformat()})
    assert not ReconciliationRun.objects.exists()


def test_a_future_date_is_refused(client, province_staff):
    client.force_login(province_staff.user)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post("/backoffice/payments/reconciliation/", {"date": tomorrow.isoformat()})
    assert response.status_code == 400 and "不能对未来的日期对账" in page_text(response)
