"""省内转考 walked in the browser: the candidate applies from the 个人中心 tile, 转出地市考办 approves,
转入地市考办 returns it, the candidate modifies and resubmits, both approve; timeline, 消息 and print."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from walk_helpers import log_in, log_out

from kaowu.catalog.models import BusinessWindow, ExamSitting
from kaowu.organization.models import Office, Region
from kaowu.testing.factories import (
    CandidateFactory,
    ExamNumberFactory,
    OfficeFactory,
    StaffMemberFactory,
    StaffUserFactory,
)

pytestmark = pytest.mark.browser


def review(page, solve_captcha, username, *, action, text=""):
    log_in(page, solve_captcha, "/backoffice/login/", username, "登录管理端")
    page.get_by_role("link", name=re.compile("^申请审核")).first.click()
    page.get_by_role("link", name="审核", exact=True).first.click()
    form = page.locator(f"form:has(input[name=action][value={action}])")
    if text:
        form.locator("textarea, input[type=text]").first.fill(text)
    form.get_by_role("button").click()
    log_out(page)


def test_a_transfer_within_the_province_from_application_to_approval(page, gansu, solve_captcha, shoot):
    lanzhou, tianshui = Region.objects.get(code="620100"), Region.objects.get(code="620500")
    area = OfficeFactory(kind=Office.Kind.EXAM_AREA, region=lanzhou, name="兰州市考区", code="EA6201")
    out_office = OfficeFactory(kind=Office.Kind.CITY_OFFICE, region=lanzhou, name="兰州市教育考试院", code="C6201")
    in_office = OfficeFactory(kind=Office.Kind.CITY_OFFICE, region=tianshui, name="天水市招生考试办公室", code="C6205")
    StaffMemberFactory(office=out_office, user=StaffUserFactory(username="lz-city-walk", real_name="赵审核"))
    StaffMemberFactory(office=in_office, user=StaffUserFactory(username="ts-city-walk", real_name="孙审核"))
    candidate = CandidateFactory(district=Region.objects.get(code="620102"))
    ExamNumberFactory(candidate=candidate, exam_area=area, number="010219100023")
    sitting = ExamSitting.objects.create(code="2027-04", name="2027年4月", is_current=True)
    BusinessWindow.objects.create(kind=BusinessWindow.Kind.TRANSFER_WITHIN_PROVINCE, sitting=sitting,
                                  starts_at=timezone.now() - timedelta(days=1),
                                  ends_at=timezone.now() + timedelta(days=14))

    log_in(page, solve_captcha, "/accounts/login/", candidate.user.phone, "登录")
    page.get_by_role("link", name=re.compile("省内转考")).first.click()
    expect(page.get_by_role("heading", name="省内转考申请")).to_be_visible()
    page.get_by_role("link", name="申请省内转考").click()
    page.get_by_role("button", name="下一步：预览").click()
    expect(page.get_by_text("请选择转入市", exact=True)).to_be_visible()
    page.locator("#id_to_city").select_option(label="天水市")
    page.locator("#id_reason").fill("工作调动至天水市")
    page.get_by_label(re.compile("本人承诺")).check()
    page.get_by_role("button", name="下一步：预览").click()
    expect(page.get_by_role("heading", name="确认省内转考申请")).to_be_visible()
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text("等待兰州市教育考试院审核（转出地市考办审核）")).to_be_visible()
    log_out(page)

    review(page, solve_captcha, "lz-city-walk", action="approve", text="同意转出")
    review(page, solve_captcha, "ts-city-walk", action="return", text="请补充工作单位名称")

    log_in(page, solve_captcha, "/accounts/login/", candidate.user.phone, "登录")
    page.get_by_role("link", name=re.compile("^消息")).first.click()
    expect(page.get_by_text("您的省内转考申请被退回修改")).to_be_visible()
    page.get_by_role("link", name="您的省内转考申请被退回修改").click()
    expect(page.get_by_text(re.compile("请补充工作单位名称")).first).to_be_visible()
    page.get_by_role("link", name="修改后重新提交").click()
    page.locator("#id_reason").fill("工作调动至天水市某某公司")
    page.get_by_label(re.compile("本人承诺")).check()
    page.get_by_role("button", name="下一步：预览").click()
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text("第2版").first).to_be_visible()
    log_out(page)

    review(page, solve_captcha, "lz-city-walk", action="approve")
    review(page, solve_captcha, "ts-city-walk", action="approve")

    log_in(page, solve_captcha, "/accounts/login/", candidate.user.phone, "登录")
    page.get_by_role("link", name="我的申请").click()
    page.get_by_role("link", name="办理进度").first.click()
    expect(page.get_by_text("申请已办结")).to_be_visible()
    for step in ("转出地市考办审核", "转入地市考办审核", "退回修改", "修改后重新提交"):
        expect(page.get_by_text(step).first).to_be_visible()
    page.get_by_role("link", name="申请详情").click()
    with page.expect_popup() as popup:
        page.get_by_role("link", name="打印").click()
    printed = popup.value
    expect(printed.get_by_role("heading", name=re.compile("省内转考申请信息详情"))).to_be_visible()
    expect(printed.get_by_role("cell", name="天水市", exact=True)).to_be_visible()
    printed.close()
