"""A candidate's account, walked in the browser: register, log in three ways, lockout, 准考证号."""

import re
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from kaowu.core.masking import mask_id_number
from kaowu.testing.factories import (
    TEST_PASSWORD,
    CandidateFactory,
    ExamNumberFactory,
    make_id_number,
    make_phone,
)

pytestmark = pytest.mark.browser

PASSWORD = "Kaowu@2027walk"
COUNTDOWN = re.compile(r"^重新获取（(\d+)秒）$")


def assert_fits_the_screen(page):
    """Nothing sticks out sideways: a phone user never has to scroll horizontally."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the {page.viewport_size['width']}px screen"


def fill_identity(page, *, name, id_number, phone):
    page.get_by_role("textbox", name="姓名", exact=True).fill(name)
    page.get_by_role("textbox", name="身份证号", exact=True).fill(id_number)
    page.get_by_role("combobox", name="所属区县", exact=True).select_option(label="城关区")
    page.get_by_role("textbox", name="手机号", exact=True).fill(phone)


def request_sms_code(page, solve_captcha, *, purpose):
    """Type the captcha, press 获取验证码 and check the button counts down while disabled."""
    solve_captcha(page.locator("form"))
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_role("status")).to_contain_text("验证码已发送")
    button = page.locator(f"#sms-send-{purpose} button")
    expect(button).to_be_disabled()
    expect(button).to_have_text(COUNTDOWN)
    first = int(COUNTDOWN.match(button.inner_text()).group(1))
    assert 55 <= first <= 60
    expect(button).not_to_have_text(f"重新获取（{first}秒）", timeout=3000)
    assert int(COUNTDOWN.match(button.inner_text()).group(1)) < first
    expect(button).to_be_disabled()


def log_out(page):
    page.get_by_role("button", name="安全退出").click()
    expect(page.get_by_text("您已安全退出。")).to_be_visible()
    expect(page.get_by_role("link", name="登录", exact=True)).to_be_visible()


def test_candidate_registers_then_logs_in_by_id_number_and_by_sms_code(page, gansu, solve_captcha, dev_inbox_code,
                                                                       sms_inbox, shoot):
    id_number, phone = make_id_number(), make_phone()
    page.goto("/")
    page.get_by_role("link", name="考生注册").click()
    expect(page.get_by_role("heading", name="考生注册")).to_be_visible()

    fill_identity(page, name="马小兰", id_number=id_number, phone=phone)
    request_sms_code(page, solve_captcha, purpose="register")
    # The code arrives in the dev inbox, as an SMS would on the candidate's phone.
    page.get_by_label("短信验证码").fill(dev_inbox_code(page, phone))
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_label("我已认真阅读并知晓《考生注册须知》").check()
    assert_fits_the_screen(page)
    shoot(page, "register")
    page.get_by_role("button", name="注册", exact=True).click()

    expect(page).to_have_url(re.compile(r"/me/$"))
    expect(page.get_by_role("heading", name="个人中心")).to_be_visible()
    expect(page.get_by_text("注册成功，欢迎使用考生服务平台。")).to_be_visible()
    expect(page.locator("dl")).to_contain_text(mask_id_number(id_number))
    expect(page.locator("dl")).not_to_contain_text(id_number)
    expect(page.locator("dl")).to_contain_text("马小兰")
    assert_fits_the_screen(page)
    shoot(page, "candidate-home")
    log_out(page)

    page.get_by_role("link", name="登录", exact=True).click()
    expect(page.get_by_role("heading", name="考生登录")).to_be_visible()
    assert_fits_the_screen(page)
    shoot(page, "login")
    page.get_by_role("textbox", name="账号", exact=True).fill(id_number)
    page.locator("#id_password").fill(PASSWORD)
    solve_captcha(page.locator("form"))
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(re.compile(r"/me/$"))
    expect(page.locator("dl")).to_contain_text(mask_id_number(id_number))
    log_out(page)

    page.goto("/accounts/login/")
    page.get_by_role("link", name="手机验证码登录").click()
    expect(page).to_have_url(re.compile(r"mode=sms"))
    page.get_by_role("textbox", name="手机号", exact=True).fill(phone)
    request_sms_code(page, solve_captcha, purpose="login")
    shoot(page, "login-sms")
    page.get_by_label("短信验证码").fill(sms_inbox(phone))
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(re.compile(r"/me/$"))
    expect(page.locator("dl")).to_contain_text(mask_id_number(id_number))


def test_dev_inbox_shows_the_sms_that_was_sent(page, gansu, solve_captcha, shoot):
    phone = make_phone()
    page.goto("/accounts/register/")
    page.get_by_role("textbox", name="手机号", exact=True).fill(phone)
    request_sms_code(page, solve_captcha, purpose="register")
    page.get_by_role("link", name="开发收件箱").click()
    expect(page.get_by_role("heading", name="开发收件箱")).to_be_visible()
    expect(page.locator("tbody tr").first).to_contain_text(phone)
    expect(page.locator("tbody tr").first).to_contain_text(re.compile(r"您正在注册考生账号，验证码\d{6}"))
    assert_fits_the_screen(page)
    shoot(page, "dev-inbox")


def test_invalid_id_number_shows_the_checksum_error_and_keeps_what_was_typed(page, gansu, shoot):
    valid = make_id_number()
    wrong = valid[:-1] + ("1" if valid[-1] != "1" else "2")
    phone = make_phone()
    page.goto("/accounts/register/")
    fill_identity(page, name="马小兰", id_number=wrong, phone=phone)
    page.get_by_role("button", name="注册", exact=True).click()

    id_field = page.locator("#field-id_number")
    expect(id_field.get_by_role("alert")).to_have_text("身份证号校验位不正确，请逐位核对")
    expect(page.get_by_role("textbox", name="姓名", exact=True)).to_have_value("马小兰")
    expect(page.get_by_role("textbox", name="手机号", exact=True)).to_have_value(phone)
    expect(page.get_by_role("textbox", name="身份证号", exact=True)).to_have_value(wrong)
    expect(page.get_by_role("combobox", name="所属区县", exact=True).locator("option:checked")).to_have_text("城关区")
    assert_fits_the_screen(page)
    shoot(page, "register-errors")


def test_five_wrong_passwords_lock_the_account_and_the_lockout_page_says_until_when(desktop_page, gansu,
                                                                                     solve_captcha):
    page = desktop_page
    candidate = CandidateFactory()

    def try_password(password):
        page.goto("/accounts/login/")
        page.get_by_role("textbox", name="账号", exact=True).fill(candidate.user.id_number)
        page.locator("#id_password").fill(password)
        solve_captcha(page.locator("form"))
        page.get_by_role("button", name="登录", exact=True).click()

    for _ in range(4):
        try_password("not-the-password")
        expect(page.get_by_role("alert").first).to_contain_text("账号或密码错误")
    # The fifth failure reaches the limit (KAOWU_LOGIN_FAILURE_LIMIT): its answer is already the lockout page.
    try_password("not-the-password")
    expect(page.get_by_role("heading", name="登录已暂时锁定")).to_be_visible()

    # A sixth attempt, even with the right password, is refused until the time shown.
    before = timezone.localtime()
    try_password(TEST_PASSWORD)
    expect(page.get_by_role("heading", name="登录已暂时锁定")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    shown = re.search(r"请于 (\d{4})年(\d{2})月(\d{2})日 (\d{2}):(\d{2})（北京时间）后再试", page.locator("main").inner_text())
    assert shown, page.locator("main").inner_text()
    unlock_at = datetime(*map(int, shown.groups()), tzinfo=before.tzinfo)
    lockout = timedelta(hours=settings.AXES_COOLOFF_TIME)
    assert before + lockout - timedelta(minutes=2) <= unlock_at <= before + lockout + timedelta(minutes=1)


def test_candidate_with_two_exam_numbers_chooses_one_and_can_switch(page, gansu, solve_captcha, shoot):
    candidate = CandidateFactory()
    first = ExamNumberFactory(candidate=candidate, major_name="汉语言文学")
    second = ExamNumberFactory(candidate=candidate, major_name="行政管理")

    page.goto("/accounts/login/")
    page.get_by_role("textbox", name="账号", exact=True).fill(candidate.user.phone)
    page.locator("#id_password").fill(TEST_PASSWORD)
    solve_captcha(page.locator("form"))
    page.get_by_role("button", name="登录", exact=True).click()

    expect(page.get_by_role("heading", name="选择准考证号")).to_be_visible()
    assert_fits_the_screen(page)
    shoot(page, "choose-exam-number")
    page.get_by_role("radio", name=re.compile(second.number)).check()
    page.get_by_role("button", name="进入系统").click()
    expect(page).to_have_url(re.compile(r"/me/$"))
    expect(page.locator(".alert--info")).to_contain_text(f"当前办理业务的准考证号：{second.number}")

    page.get_by_role("link", name="切换准考证号").click()
    page.get_by_role("radio", name=re.compile(first.number)).check()
    page.get_by_role("button", name="进入系统").click()
    expect(page.locator(".alert--info")).to_contain_text(f"当前办理业务的准考证号：{first.number}")
    expect(page.locator("dl")).to_contain_text(f"{first.number}、{second.number}")
