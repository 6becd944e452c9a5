"""扫码签字 in the browser: the desktop page shows the QR code and waits; the phone page (another
browser, no login) is signed with the mouse; the desktop page moves on by itself."""

import re

import pytest
from playwright.sync_api import expect

from kaowu.signatures.models import SignatureRequest
from kaowu.signatures.services import signature_request_create, signature_valid_for
from kaowu.testing.factories import TEST_PASSWORD, CandidateFactory

pytestmark = pytest.mark.browser
CONTENT = "考籍转出申请\n转入省份：青海省\n转出课程：00015 英语（二） 72分"


def test_sign_on_the_phone_and_the_desktop_moves_on(desktop_page, browser, live_server, gansu, solve_captcha, shoot):
    page = desktop_page
    candidate = CandidateFactory(user__real_name="王晓燕")
    page.goto("/accounts/login/")
    page.locator("#id_identifier").fill(candidate.user.phone)
    page.locator("#id_password").fill(TEST_PASSWORD)
    solve_captcha(page.locator("main form"))
    page.locator("main form").get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("heading", name="个人中心")).to_be_visible()

    request = signature_request_create(user=candidate.user, purpose="考籍转出申请", subject="transfers.TransferOut:7",
                                       version=1, content=CONTENT, return_url="/accounts/security/")
    page.goto(f"/signatures/{request.token}/")
    expect(page.locator(".qr__img")).to_be_visible()
    expect(page.get_by_text("等待手机扫码")).to_be_visible()
    shoot(page, "signature-desktop")
    phone_url = page.locator("[data-phone-link]").get_attribute("href")
    assert re.search(rf"/sign/{request.token}/$", phone_url)

    phone_context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 812},
                                        is_mobile=True, has_touch=True, locale="zh-CN")
    try:
        phone = phone_context.new_page()
        phone.goto(phone_url)
        expect(phone.get_by_text("王**，请核对以下内容")).to_be_visible()
        expect(page.get_by_text("请在手机上完成签名")).to_be_visible()  # the desktop saw the scan
        phone.get_by_role("button", name="确认签名").click()
        expect(phone.get_by_text("请先在签名区域手写签名")).to_be_visible()  # nothing drawn yet
        box = phone.locator("[data-sign-canvas]").bounding_box()
        phone.mouse.move(box["x"] + 30, box["y"] + 150)
        phone.mouse.down()
        for x, y in [(80, 60), (130, 170), (190, 70), (250, 160), (310, 80)]:
            phone.mouse.move(box["x"] + x, box["y"] + y, steps=8)
        phone.mouse.up()
        shoot(phone, "signature-phone")
        phone.get_by_role("button", name="确认签名").click()
        expect(phone.get_by_text("签名成功")).to_be_visible()
    finally:
        phone_context.close()

    expect(page).to_have_url(re.compile(r"/accounts/security/$"), timeout=8000)
    signed = signature_valid_for(subject="transfers.TransferOut:7", version=1, content=CONTENT)
    assert signed is not None and signed.status == SignatureRequest.Status.SIGNED
