"""报考退款申请: requested for some items of a paid order, reviewed by exam-area or province staff,
refunded through the provider of the charge; rejection shows its reason to the candidate."""

from decimal import Decimal

import pytest

from kaowu.audit.models import AuditEvent
from kaowu.organization.models import Office, Region
from kaowu.payments import services
from kaowu.payments.models import DevGatewayTransaction, Order, Refund
from kaowu.payments.services import PaymentError
from kaowu.testing.factories import CandidateFactory, OfficeFactory, StaffMemberFactory

from .helpers import page_text

pytestmark = pytest.mark.django_db
Status = Refund.Status


@pytest.fixture
def paid_order(client, candidate, make_order, pay_on_gateway):
    order = make_order(candidate.user)
    pay_on_gateway(order, channel="alipay")
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    return order


@pytest.fixture
def lanzhou_area_staff(gansu):
    area = OfficeFactory(kind=Office.Kind.EXAM_AREA, region=Region.objects.get(code="620100"), name="兰州市考区")
    return StaffMemberFactory(office=area, user__real_name="王审核")


def _request(order, *, items=None, amount=None, reason="课程考试时间冲突，申请退考"):
    return services.refund_request(order=order, items=items, amount=amount, reason=reason, actor=order.user)


def test_a_refund_request_waits_for_review(paid_order):
    item = paid_order.items.first()
    refund = _request(paid_order, items=[item])
    assert refund.status == Status.PENDING_REVIEW and refund.amount == Decimal("30.00")
    assert list(refund.items.all()) == [item] and refund.requested_by == paid_order.user
    paid_order.refresh_from_db()
    assert paid_order.status == Order.Status.PAID


def test_approval_refunds_through_the_gateway_and_the_order_shows_it(client, paid_order, lanzhou_area_staff,
                                                                     committed):
    refund = _request(paid_order, items=[paid_order.items.first()])
    candidate_client = client
    from django.test import Client

    staff_client = Client()
    staff_client.force_login(lanzhou_area_staff.user)
    queue = page_text(staff_client.get("/backoffice/payments/"))
    assert refund.number in queue and "待审核" in queue
    with committed():
        staff_client.post(f"/backoffice/payments/refunds/{refund.number}/", {"action": "approve"})
    assert "已退款" in page_text(staff_client.get(f"/backoffice/payments/refunds/{refund.number}/"))
    refund.refresh_from_db()
    assert refund.status == Status.REFUNDED and refund.reviewed_by == lanzhou_area_staff.user
    assert refund.provider_refund_no and refund.completed_at
    paid_order.refresh_from_db()
    assert paid_order.status == Order.Status.PARTIALLY_REFUNDED
    trade = DevGatewayTransaction.objects.get(out_trade_no=paid_order.number)
    assert trade.refunded_fen == 3000
    assert AuditEvent.objects.filter(action="payments.refund_approved", actor=lanzhou_area_staff.user).exists()
    page = page_text(candidate_client.get(f"/payments/orders/{paid_order.number}/"))
    assert "部分退款" in page and "退款申请 · ¥30.00" in page and "款项已原路退回（支付宝）" in page


def test_refunding_every_item_makes_the_order_refunded(paid_order, lanzhou_area_staff, committed):
    for item in paid_order.items.all():
        refund = _request(paid_order, items=[item])
        with committed():
            services.refund_approve(refund=refund, actor=lanzhou_area_staff.user)
    paid_order.refresh_from_db()
    assert paid_order.status == Order.Status.REFUNDED
    assert [c.to_status for c in paid_order.history.all()][-2:] == ["partially_refunded", "refunded"]


def test_rejection_needs_a_reason_which_the_candidate_sees(client, paid_order, lanzhou_area_staff):
    from django.test import Client

    refund = _request(paid_order, items=[paid_order.items.first()])
    staff_client = Client()
    staff_client.force_login(lanzhou_area_staff.user)
    response = staff_client.post(f"/backoffice/payments/refunds/{refund.number}/", {"action": "reject"})
    assert response.status_code == 400 and "驳回时请填写原因" in page_text(response)
    staff_client.post(f"/backoffice/payments/refunds/{refund.number}/",
                      {"action": "reject", "reason": "已过退款申请时间"})
    refund.refresh_from_db()
    assert refund.status == Status.REJECTED and refund.review_comment == "已过退款申请时间"
    assert "驳回原因：已过退款申请时间" in page_text(client.get(f"/payments/orders/{paid_order.number}/"))
    # A rejected item may be requested again.
    assert _request(paid_order, items=[paid_order.items.first()]).status == Status.PENDING_REVIEW


def test_an_item_cannot_be_refunded_twice_nor_more_than_was_paid(paid_order):
    item = paid_order.items.first()
    _request(paid_order, items=[item])
    with pytest.raises(PaymentError, match="已申请过退款"):
        _request(paid_order, items=[item])
    with pytest.raises(PaymentError, match="不能超过可退金额 30.00 元"):
        _request(paid_order, amount=Decimal("30.01"))


def test_only_a_paid_order_can_be_refunded(user, make_order):
    order = make_order(user)
    with pytest.raises(PaymentError, match="不能申请退款"):
        _request(order, amount=Decimal("1"))


def test_a_reviewed_refund_cannot_be_decided_again(paid_order, lanzhou_area_staff, committed):
    refund = _request(paid_order, items=[paid_order.items.first()])
    with committed():
        services.refund_approve(refund=refund, actor=lanzhou_area_staff.user)
    with pytest.raises(PaymentError):
        services.refund_reject(refund=refund, actor=lanzhou_area_staff.user, reason="x")
    with pytest.raises(PaymentError):
        services.refund_approve(refund=refund, actor=lanzhou_area_staff.user)


def test_a_failed_refund_can_be_retried(paid_order, lanzhou_area_staff, committed):
    refund = _request(paid_order, items=[paid_order.items.first()])
    trade = DevGatewayTransaction.objects.get(out_trade_no=paid_order.number)
    DevGatewayTransaction.objects.filter(pk=trade.pk).update(refunded_fen=trade.amount_fen)  # gateway says no
    with committed():
        services.refund_approve(refund=refund, actor=lanzhou_area_staff.user)
    refund.refresh_from_db()
    assert refund.status == Status.FAILED and "超过可退金额" in refund.failure_message
    DevGatewayTransaction.objects.filter(pk=trade.pk).update(refunded_fen=0)
    with committed():
        services.refund_retry(refund=refund, actor=lanzhou_area_staff.user)
    refund.refresh_from_db()
    assert refund.status == Status.REFUNDED


def test_staff_outside_the_jurisdiction_do_not_see_the_refund(paid_order, client, gansu):
    from django.test import Client

    refund = _request(paid_order, items=[paid_order.items.first()])
    other_area = OfficeFactory(kind=Office.Kind.EXAM_AREA, region=Region.objects.get(code="620200"))
    staff_client = Client()
    staff_client.force_login(StaffMemberFactory(office=other_area).user)
    assert refund.number not in page_text(staff_client.get("/backoffice/payments/"))
    assert staff_client.get(f"/backoffice/payments/refunds/{refund.number}/").status_code == 404
    assert staff_client.get(f"/backoffice/payments/orders/{paid_order.number}/").status_code == 404


def test_a_district_office_sees_but_cannot_decide(paid_order, gansu):
    from django.test import Client

    refund = _request(paid_order, items=[paid_order.items.first()])
    district = OfficeFactory(kind=Office.Kind.DISTRICT_OFFICE, region=Region.objects.get(code="620102"))
    staff_client = Client()
    staff_client.force_login(StaffMemberFactory(office=district).user)
    response = staff_client.get(f"/backoffice/payments/refunds/{refund.number}/")
    assert response.status_code == 200 and "同意退款" not in page_text(response)
    staff_client.post(f"/backoffice/payments/refunds/{refund.number}/", {"action": "approve"})
    refund.refresh_from_db()
    assert refund.status == Status.PENDING_REVIEW


def test_staff_find_an_order_by_number(paid_order, lanzhou_area_staff):
    from django.test import Client

    staff_client = Client()
    staff_client.force_login(lanzhou_area_staff.user)
    response = staff_client.get("/backoffice/payments/", {"q": paid_order.number.lower()}, follow=True)
    text = page_text(response)
    assert paid_order.number in text and "支付结果通知" in text and "已入账" in text
    missing = staff_client.get("/backoffice/payments/", {"q": "KW000"}, follow=True)
    assert "未找到订单 KW000" in page_text(missing)


def test_the_demo_order_page_lets_the_candidate_request_a_refund(client, candidate, committed, pay_on_gateway):
    with committed():
        response = client.post("/payments/orders/demo/", follow=True)
    order = Order.objects.get(user=candidate.user)
    assert order.purpose == Order.Purpose.DEMO and "已创建演示订单" in page_text(response)
    pay_on_gateway(order)
    item = order.items.first()
    response = client.post(f"/payments/orders/{order.number}/refund/", {"items": [item.pk], "reason": "演示退款"},
                           follow=True)
    assert "退款申请已提交，请等待审核" in page_text(response)
    assert Refund.objects.get().status == Status.PENDING_REVIEW


def test_a_refund_cannot_be_requested_from_the_page_for_a_real_order(client, paid_order):
    response = client.post(f"/payments/orders/{paid_order.number}/refund/",
                           {"items": [paid_order.items.first().pk], "reason": "x"})
    assert response.status_code == 404


def test_staff_pages_are_for_staff(client, candidate):
    response = client.get("/backoffice/payments/")
    assert response.status_code == 302 and "/backoffice/login/" in response["Location"]


def test_another_candidate_sees_nothing(client, paid_order, gansu):
    other = CandidateFactory()
    client.force_login(other.user)
    assert client.get(f"/payments/orders/{paid_order.number}/").status_code == 404
    assert client.post(f"/payments/orders/{paid_order.number}/sync/").status_code == 404
    assert paid_order.number not in page_text(client.get("/payments/orders/"))
