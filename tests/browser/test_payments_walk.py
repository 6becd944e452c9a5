"""In Chromium, at 375 px and 1280 px: 订单查询 → 创建演示订单 → 去缴费 with 支付宝 → the development
cashier → 支付成功 with the notification lost → back on the order page → 我已缴费 → 已缴费; then a
second payment of the same order on another channel is refunded automatically and shown."""

import re

import pytest

from kaowu.testing.factories import TEST_PASSWORD, CandidateFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pay_on_the_development_gateway_then_i_have_paid(page, gansu, captcha_solver):
    from playwright.sync_api import expect

    candidate = CandidateFactory(user__real_name="李梦瑶")
    page.goto("/accounts/login/")
    page.locator("#id_identifier").fill(candidate.user.id_number)
    page.locator("#id_password").fill(TEST_PASSWORD)
    form = page.locator("main form")
    form.locator("input[name=captcha_1]").fill(captcha_solver(form.locator("input[name=captcha_0]").input_value()))
    form.get_by_role("button", name="登录", exact=True).click()

    page.get_by_role("link", name="订单查询").click()
    page.get_by_role("button", name="创建演示订单").click()
    expect(page.get_by_text("剩余缴费时间")).to_be_visible()
    expect(page.locator("[data-seconds-left]")).to_have_text(re.compile(r"^(29|30):\d\d$"))
    order_url = page.url

    page.locator("label.channel", has_text="支付宝").click()
    page.get_by_role("button", name="去缴费").click()
    expect(page).to_have_title(re.compile("支付宝"))
    expect(page.get_by_label("支付金额")).to_contain_text("90.00")
    page.get_by_label("丢失（不送达）").check()
    page.get_by_role("button", name="支付成功").click()

    expect(page).to_have_url(re.compile(r"\?from=gateway$"))
    expect(page.get_by_text("如果您已在支付页面完成支付")).to_be_visible()
    page.get_by_role("button", name="我已缴费").click()
    expect(page.get_by_text("缴费成功，订单状态已更新为“已缴费”")).to_be_visible()
    expect(page.locator(".card__title .badge")).to_have_text("已缴费")

    # A second payment of the same order, on a cashier opened earlier in another tab, is refunded.
    from kaowu.payments.models import Order
    from kaowu.payments.services import order_pay_start

    order = Order.objects.get(user=candidate.user)
    Order.objects.filter(pk=order.pk).update(status="pending")  # as it was when the other tab opened
    cashier = order_pay_start(order=Order.objects.get(pk=order.pk), channel="unionpay")
    Order.objects.filter(pk=order.pk).update(status="paid")
    page.goto(cashier)
    page.get_by_role("button", name="支付成功").click()
    page.goto(order_url)
    expect(page.locator(".alert", has_text="重复缴费已自动退款")).to_be_visible()
    expect(page.locator(".refund-list .badge").first).to_have_text("已退款")
