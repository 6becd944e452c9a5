"""专升本 steps in the browser: the three notices each unlock after their countdown, 填写基本信息
with a second 个人简历 row (an error keeps everything typed), 信息确认; the rail turns green."""

import re

import pytest
from playwright.sync_api import expect

from kaowu.organization.models import Office, Region
from kaowu.testing.factories import TEST_PASSWORD, CandidateFactory, OfficeFactory

pytestmark = pytest.mark.browser


def test_notices_basic_information_and_confirmation(page, gansu, solve_captcha, shoot):
    point = OfficeFactory(kind=Office.Kind.REGISTRATION_POINT, region=Region.objects.get(code="620102"),
                          name="兰州职业技术学院报名点")
    candidate = CandidateFactory(registration_point=point, user__exam_type="upgrade", user__real_name="李娜")
    page.goto("/accounts/login/")
    page.locator("#id_identifier").fill(candidate.user.id_number)
    page.locator("#id_password").fill(TEST_PASSWORD)
    solve_captcha(page.locator("main form"))
    page.locator("main form").get_by_role("button", name="登录", exact=True).click()
    page.get_by_role("link", name="我的报考").click()
    page.get_by_role("link", name="去报考须知").click()

    for title, button in [("报考须知", "我已知晓"), ("教育考试违规处理办法", "我已知晓"), ("考生承诺书", "我同意")]:
        expect(page.get_by_role("heading", name=title)).to_be_visible()
        locked = page.get_by_role("button", name=re.compile(button))
        expect(locked).to_be_disabled()
        expect(locked).to_have_text(re.compile(r"（\d+s）"))
        if title == "报考须知":
            shoot(page, "upgrade-notice")
        expect(page.get_by_role("button", name=button, exact=True)).to_be_enabled(timeout=13_000)
        page.get_by_role("button", name=button, exact=True).click()

    expect(page.get_by_role("heading", name="填写基本信息")).to_be_visible()
    expect(page.locator(".upgrade-rail__step--done")).to_have_count(1)
    page.locator("#id_gender").select_option("女")
    page.locator("#id_nation").select_option("汉族")
    page.locator("#id_political_status").select_option("共青团员")
    page.locator("#id_phone").fill("13912340001")
    page.locator("#id_school").fill("兰州职业技术学院")
    page.locator("#id_junior_major").fill("会计(530302)")
    page.locator("#id_candidate_type").select_option("graduate")
    page.locator("#id_category").select_option("09")
    expect(page.locator("#id_music_test")).to_be_visible()  # 音乐类 asks for the 测试主项
    page.locator("#id_household").fill("甘肃省/兰州市/城关区")
    page.locator("#id_recipient").fill("李娜")
    page.locator("#id_recipient_phone").fill("13912340002")
    page.locator("#id_postcode").fill("730030")
    page.locator("#id_mail_address").fill("甘肃省兰州市城关区庆阳路1号")
    rows = page.locator("[data-resume-row]")
    rows.nth(0).locator("input[name=resume_start]").fill("2019-09")
    rows.nth(0).locator("input[name=resume_end]").fill("2022-06")
    rows.nth(0).locator("input[name=resume_organization]").fill("兰州市第一中学")
    page.get_by_role("button", name="添加一条").click()
    rows.nth(1).locator("input[name=resume_start]").fill("2022-09")
    rows.nth(1).locator("input[name=resume_organization]").fill("兰州职业技术学院")
    page.get_by_role("button", name="提交并继续").click()
    expect(page.get_by_text("报考音乐类专业须选择测试主项")).to_be_visible()
    expect(page.locator("[data-resume-row]")).to_have_count(2)  # nothing typed is lost
    expect(page.locator("#id_household")).to_have_value("甘肃省/兰州市/城关区")
    page.locator("#id_music_test").select_option("piano")
    shoot(page, "upgrade-basic")
    page.get_by_role("button", name="提交并继续").click()

    expect(page.get_by_role("heading", name="信息确认")).to_be_visible()
    expect(page.locator("main")).to_contain_text("兰州职业技术学院")
    expect(page.locator("main")).to_contain_text("艺术类·音乐(09)（钢琴）")
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_text("基本信息已确认")).to_be_visible()
    expect(page.locator(".upgrade-rail__step--done")).to_have_count(3)
    expect(page.locator(".upgrade-rail__step--current")).to_contain_text("身份认证")
    shoot(page, "upgrade-overview")
