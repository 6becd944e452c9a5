"""Forgot password, phone change and the back office's jurisdiction, walked in the browser."""

import re

import pytest
from playwright.sync_api import expect

from kaowu.organization.models import Office, Region
from kaowu.testing.factories import (
    TEST_PASSWORD,
    CandidateFactory,
    OfficeFactory,
    StaffMemberFactory,
    StaffUserFactory,
    UserFactory,
    make_phone,
)

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Lanzhou#2027reset"


def log_in_with_password(page, solve_captcha, identifier, password):
    page.goto("/accounts/login/")
    page.locator("#id_identifier").fill(identifier)
    page.locator("#id_password").fill(password)
    solve_captcha(page.locator("main form"))
    page.locator("main form").get_by_role("button", name="登录", exact=True).click()


def test_forgot_password_by_id_number_then_log_in_with_the_new_one(page, gansu, solve_captcha, dev_inbox_code,
                                                                   shoot):
    candidate = CandidateFactory()
    user = candidate.user
    page.goto("/accounts/login/")
    page.get_by_role("link", name="忘记密码").click()
    expect(page.get_by_role("heading", name="找回密码")).to_be_visible()
    page.locator("#id_identifier").fill(user.id_number)
    solve_captcha(page.locator("main form"))
    page.get_by_role("button", name="下一步").click()

    expect(page.get_by_text("如果该账号存在")).to_be_visible()
    shoot(page, "password-reset-verify")
    page.locator("#id_code").fill(dev_inbox_code(page, user.phone))
    page.locator("#id_new_password").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="重置密码").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    log_in_with_password(page, solve_captcha, user.id_number, TEST_PASSWORD)
    expect(page.get_by_text("账号或密码错误")).to_be_visible()
    log_in_with_password(page, solve_captcha, user.id_number, NEW_PASSWORD)
    expect(page.get_by_role("heading", name="个人中心")).to_be_visible()


def test_forgot_password_for_an_unknown_id_looks_the_same_and_sends_nothing(page, gansu, solve_captcha, sms_inbox):
    page.goto("/accounts/password/reset/")
    page.locator("#id_identifier").fill("620102199001012340")
    solve_captcha(page.locator("main form"))
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_text("如果该账号存在")).to_be_visible()
    page.locator("#id_code").fill("123456")
    page.locator("#id_new_password").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="重置密码").click()
    expect(page.get_by_text("验证码错误或已过期，请重新获取")).to_be_visible()


def test_candidate_changes_the_bound_phone_with_codes_to_old_and_new(page, gansu, solve_captcha, dev_inbox_code,
                                                                     shoot):
    user = CandidateFactory().user
    old_phone, new_phone = user.phone, make_phone()
    log_in_with_password(page, solve_captcha, user.phone, TEST_PASSWORD)
    expect(page.get_by_role("heading", name="个人中心")).to_be_visible()
    page.get_by_role("link", name="安全中心").first.click()
    page.get_by_role("link", name="更换手机号").click()

    page.locator("main form").get_by_role("button", name=re.compile("获取验证码")).click()
    expect(page.locator("main form [role=status]")).to_contain_text("验证码已发送")
    page.locator("#id_sms_code").fill(dev_inbox_code(page, old_phone))
    page.get_by_role("button", name="下一步").click()

    page.locator("#id_phone").fill(new_phone)
    solve_captcha(page.locator("main form"))
    page.locator("main form").get_by_role("button", name="获取验证码").click()
    expect(page.locator("main form [role=status]")).to_contain_text("验证码已发送")
    page.locator("#id_sms_code").fill(dev_inbox_code(page, new_phone))
    shoot(page, "phone-change")
    page.get_by_role("button", name="确认更换").click()

    expect(page.get_by_role("heading", name="安全中心")).to_be_visible()
    expect(page.get_by_text(new_phone[:3] + "****" + new_phone[-4:]).first).to_be_visible()
    user.refresh_from_db()
    assert user.phone == new_phone


def test_district_staff_cannot_open_another_districts_candidate(desktop_page, gansu, solve_captcha, shoot):
    page = desktop_page
    chengguan = OfficeFactory(kind=Office.Kind.DISTRICT_OFFICE, region=Region.objects.get(code="620102"),
                              name="城关区招生办")
    StaffMemberFactory(office=chengguan, user=StaffUserFactory(username="cg-walk", real_name="陈审核"))
    own = CandidateFactory(user=UserFactory(real_name="城关考生"))
    other = CandidateFactory(user=UserFactory(real_name="七里河考生"), district=Region.objects.get(code="620103"))

    page.goto("/backoffice/login/")
    page.locator("#id_identifier").fill("cg-walk")
    page.locator("#id_password").fill(TEST_PASSWORD)
    solve_captcha(page.locator("main form"))
    page.get_by_role("button", name="登录管理端").click()
    expect(page.get_by_text("陈审核").first).to_be_visible()

    page.get_by_role("link", name="考生管理").first.click()
    expect(page.get_by_role("link", name="城关考生")).to_be_visible()
    expect(page.get_by_text("七里河考生")).to_have_count(0)
    shoot(page, "backoffice-candidates")

    response = page.goto(f"/backoffice/candidates/{other.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="页面不存在")).to_be_visible()
    response = page.goto(f"/backoffice/candidates/{own.pk}/")
    assert response.status == 200


def _authorise_in_a_new_tab(page, link_name="在新标签页中打开模拟授权页"):
    """The 'phone': open the 模拟微信授权 page (same browser, so the same fake WeChat identity) and agree."""
    with page.context.expect_page() as opened:
        page.get_by_role("link", name=link_name).click()
    phone = opened.value
    phone.get_by_role("button", name="同意授权").click()
    phone.wait_for_load_state()
    phone.close()


def test_bind_wechat_then_log_in_by_scanning(desktop_page, gansu, solve_captcha):
    page = desktop_page
    user = CandidateFactory().user
    log_in_with_password(page, solve_captcha, user.phone, TEST_PASSWORD)
    page.goto("/accounts/security/wechat/")
    _authorise_in_a_new_tab(page)
    # The bind page polls and moves on by itself.
    expect(page.get_by_role("heading", name="安全中心")).to_be_visible(timeout=10000)
    user.refresh_from_db()
    assert user.wechat_openid

    page.get_by_role("button", name="安全退出").click()
    page.goto("/accounts/login/?mode=wechat")
    _authorise_in_a_new_tab(page)
    expect(page.get_by_role("heading", name="个人中心")).to_be_visible(timeout=10000)
