"""订单查询 and the order page, as the candidate sees them."""

import pytest
from django.core.management import call_command

from kaowu.payments.models import Order

from .helpers import page_text

pytestmark = pytest.mark.django_db


def test_the_candidate_home_links_to_the_order_list(client, candidate):
    html = client.get("/me/").content.decode()
    assert 'href="/payments/orders/"' in html and "订单查询" in html


def test_the_order_list_shows_each_order_with_a_coloured_status(client, candidate, make_order, committed):
    pending = make_order(candidate.user, reference="a")
    cancelled = make_order(candidate.user, reference="b")
    with committed():
        client.post(f"/payments/orders/{cancelled.number}/cancel/")
    html = client.get("/payments/orders/").content.decode()
    assert pending.number in html and cancelled.number in html
    assert '<span class="badge badge--warning">待缴费</span>' in html
    assert '<span class="badge badge--neutral">已取消</span>' in html
    assert "60.00" in html and "2027年4月自学考试报考费" in html


def test_the_order_list_is_paginated(client, candidate, make_order):
    for n in range(12):
        make_order(candidate.user, reference=f"r{n}")
    first, second = client.get("/payments/orders/"), client.get("/payments/orders/?page=2")
    assert first.content.decode().count('class="order-number"') == 10
    assert second.content.decode().count('class="order-number"') == 2
    assert "第 1 / 2 页" in page_text(first) and "共 12 条" in page_text(first)


def test_the_order_page_shows_items_channels_and_history(client, candidate, make_order):
    order = make_order(candidate.user)
    text = page_text(client.get(f"/payments/orders/{order.number}/"))
    for words in ("收费明细", "00015 英语（二） 报考费", "合计", "60.00", "微信支付", "支付宝", "银联", "政付通",
                  "去缴费", "我已缴费", "取消订单", "订单状态记录", "创建订单", "本人操作", "如果已经支付，请不要重复支付"):
        assert words in text, words


def test_staff_are_sent_to_their_back_office(client, gansu):
    from kaowu.testing.factories import StaffMemberFactory

    client.force_login(StaffMemberFactory().user)
    assert client.get("/payments/orders/")["Location"] == "/backoffice/"


def test_signed_out_visitors_are_asked_to_log_in(client, user, make_order):
    order = make_order(user)
    assert client.get(f"/payments/orders/{order.number}/")["Location"].startswith("/accounts/login/")


def test_the_demo_command_creates_an_order_for_a_candidate(candidate, capsys, committed):
    candidate.user.id_number = "620102199609232376"
    candidate.user.save()
    with committed():
        call_command("payments_demo_order", "--user", "620102199609232376", "--courses", "2")
    order = Order.objects.get(user=candidate.user)
    assert order.purpose == Order.Purpose.DEMO and order.items.count() == 2
    assert order.number in capsys.readouterr().out


def test_a_deployment_without_demo_mode_refuses_the_development_gateway(settings):
    from kaowu.core.checks import providers_check
    from kaowu.payments.checks import payment_providers_check

    assert payment_providers_check(None) == []
    settings.DEMO_MODE, settings.DEBUG, settings.KAOWU_DEV_INBOX = False, False, False
    assert "core.E102" in [m.id for m in providers_check() if "KAOWU_PAYMENT_PROVIDERS (wechat)" in m.msg]
    settings.KAOWU_PAYMENT_PROVIDERS = {"paypal": "x.Provider"}
    assert [m.id for m in payment_providers_check(None)] == ["payments.E001"]
