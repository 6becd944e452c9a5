"""建档 walked in the browser: the candidate files, the exam area approves, the 准考证号 appears."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from walk_helpers import log_in

from kaowu.catalog.models import BusinessWindow
from kaowu.identity.models import Verification
from kaowu.organization.models import Office, Region
from kaowu.testing.factories import (
    CandidateFactory,
    OfficeFactory,
    StaffMemberFactory,
    StaffUserFactory,
)

pytestmark = pytest.mark.browser


def test_candidate_files_and_the_exam_area_issues_the_exam_number(page, gansu, solve_captcha, shoot):
    area = OfficeFactory(kind=Office.Kind.EXAM_AREA, region=Region.objects.get(code="620100"), name="兰州市考区",
                         code="EA6201")
    StaffMemberFactory(office=area, user=StaffUserFactory(username="lz-area-filing", real_name="马审核"))
    candidate = CandidateFactory()
    Verification.objects.create(user=candidate.user, kind="three_photos", status="passed")
    BusinessWindow.objects.create(kind=BusinessWindow.Kind.FILING, starts_at=timezone.now() - timedelta(days=1),
                                  ends_at=timezone.now() + timedelta(days=30))

    log_in(page, solve_captcha, "/accounts/login/", candidate.user.phone, "登录")
    page.get_by_role("link", name="基本信息填报").first.click()
    page.get_by_role("link", name="开始填报").click()
    page.get_by_label("我已阅读并同意《考生须知》").check()
    page.get_by_role("button", name="同意并继续").click()

    expect(page.locator("#id_exam_area")).to_have_value(str(area.pk))  # preselected: the candidate's city
    page.locator("#id_nation").select_option("汉族")
    page.locator("#id_political_status").select_option("群众")
    page.locator("#id_education").select_option("大学专科")
    page.locator("#id_occupation").select_option("专业技术人员")
    page.locator("#id_household_type").select_option("城镇")
    page.locator("#id_address").fill("甘肃省兰州市城关区庆阳路1号")
    page.locator("#id_postcode").fill("73003")
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_text("邮编为6位数字")).to_be_visible()
    expect(page.locator("#id_address")).to_have_value("甘肃省兰州市城关区庆阳路1号")
    page.locator("#id_postcode").fill("730030")
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_role("heading", name="信息预览")).to_be_visible()
    shoot(page, "filing-preview")
    page.get_by_role("button", name="保存信息").click()
    expect(page.get_by_text("已提交，等待兰州市考区审核")).to_be_visible()
    page.get_by_role("button", name="安全退出").click()

    log_in(page, solve_captcha, "/backoffice/login/", "lz-area-filing", "登录管理端")
    page.get_by_role("link", name="建档审核").first.click()
    page.get_by_role("link", name="审核", exact=True).first.click()
    page.get_by_label(re.compile("审核通过")).check()
    page.get_by_role("button", name="提交审核结果").click()
    expect(page.get_by_text(re.compile(r"已审核通过，准考证号 \d{12}"))).to_be_visible()
    page.get_by_role("button", name="安全退出").click()

    log_in(page, solve_captcha, "/accounts/login/", candidate.user.phone, "登录")
    expect(page.get_by_text(re.compile(r"当前办理业务的准考证号：\d{12}"))).to_be_visible()
