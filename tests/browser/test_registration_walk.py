"""报考 walked in the browser: login → 建档 → the exam area approves → 报考 with a cross-major course
(显示全部开考课程) → pay on the development gateway → 报考成功 → change courses → the removed course
is refunded."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from walk_helpers import log_in

from kaowu.catalog.models import BusinessWindow, ExamSitting, SittingCourse, SittingSession
from kaowu.catalog.tests.factories import CourseFactory, MajorFactory, PlanCourseFactory
from kaowu.identity.models import Verification
from kaowu.organization.models import Office, Region
from kaowu.payments.models import Refund
from kaowu.testing.factories import (
    CandidateFactory,
    OfficeFactory,
    StaffMemberFactory,
    StaffUserFactory,
)

pytestmark = pytest.mark.browser


def catalog(area):
    """The 2027年4月 sitting: 会计学 with two courses; 英语（二） belongs to another major."""
    sitting = ExamSitting.objects.create(code="2027-04", name="2027年4月", is_current=True)
    sitting.area_links.create(exam_area=area)
    am = SittingSession.objects.create(sitting=sitting, date=datetime.date(2027, 4, 10), half_day="am",
                                       start_time=datetime.time(9), end_time=datetime.time(11, 30))
    pm = SittingSession.objects.create(sitting=sitting, date=datetime.date(2027, 4, 10), half_day="pm",
                                       start_time=datetime.time(14, 30), end_time=datetime.time(17))
    accounting = MajorFactory(code="120203K", name="会计学")
    english_major = MajorFactory(code="050201", name="英语")
    for code, name, session, major in [("00067", "财务管理学", am, accounting), ("00160", "审计学", pm, accounting),
                                       ("00015", "英语（二）", pm, english_major),
                                       ("00012", "英语（一）", am, english_major)]:
        course = CourseFactory(code=code, name=name)
        PlanCourseFactory(major=major, course=course)
        SittingCourse.objects.create(sitting=sitting, session=session, course=course, fee=Decimal("30.00"))
    now = timezone.now()
    for kind, sitting_or_none in [(BusinessWindow.Kind.FILING, None), (BusinessWindow.Kind.COURSE_REGISTRATION, sitting)]:
        BusinessWindow.objects.create(kind=kind, sitting=sitting_or_none, starts_at=now - datetime.timedelta(days=1),
                                      ends_at=now + datetime.timedelta(days=10))
    return sitting


def file_and_get_approved(page, solve_captcha, candidate, area):
    log_in(page, solve_captcha, "/accounts/login/", candidate.user.phone, "登录")
    page.get_by_role("link", name="基本信息填报").first.click()
    page.get_by_role("link", name="开始填报").click()
    page.get_by_label("我已阅读并同意《考生须知》").check()
    page.get_by_role("button", name="同意并继续").click()
    page.locator("#id_nation").select_option("汉族")
    page.locator("#id_political_status").select_option("群众")
    page.locator("#id_education").select_option("大学专科")
    page.locator("#id_occupation").select_option("专业技术人员")
    page.locator("#id_household_type").select_option("城镇")
    page.locator("#id_address").fill("甘肃省兰州市城关区庆阳路1号")
    page.locator("#id_postcode").fill("730030")
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("button", name="保存信息").click()
    expect(page.get_by_text("已提交，等待兰州市考区审核")).to_be_visible()
    page.get_by_role("button", name="安全退出").click()

    log_in(page, solve_captcha, "/backoffice/login/", "lz-area-reg", "登录管理端")
    page.get_by_role("link", name="建档审核").first.click()
    page.get_by_role("link", name="审核", exact=True).first.click()
    page.get_by_label(re.compile("审核通过")).check()
    page.get_by_role("button", name="提交审核结果").click()
    expect(page.get_by_text(re.compile(r"已审核通过，准考证号 \d{12}"))).to_be_visible()
    page.get_by_role("button", name="安全退出").click()


def pay_on_gateway(page):
    page.locator("label.channel", has_text="微信支付").click()
    page.get_by_role("button", name="去缴费").click()
    expect(page).to_have_title(re.compile("微信"))
    page.get_by_role("button", name="支付成功").click()
    expect(page).to_have_url(re.compile(r"\?from=gateway$"))
    if page.get_by_role("button", name="我已缴费").count():  # the notification may come after the return
        page.get_by_role("button", name="我已缴费").click()
    expect(page.locator(".card__title .badge")).to_have_text("已缴费")


def test_register_pay_change_and_get_the_removed_course_refunded(page, gansu, solve_captcha, shoot):
    area = OfficeFactory(kind=Office.Kind.EXAM_AREA, region=Region.objects.get(code="620100"), name="兰州市考区",
                         code="EA6201")
    StaffMemberFactory(office=area, user=StaffUserFactory(username="lz-area-reg", real_name="马审核"))
    catalog(area)
    candidate = CandidateFactory()
    Verification.objects.create(user=candidate.user, kind="three_photos", status="passed")

    file_and_get_approved(page, solve_captcha, candidate, area)

    # 报考 from the 个人中心 tile
    log_in(page, solve_captcha, "/accounts/login/", candidate.user.phone, "登录")
    page.get_by_role("link", name=re.compile(r"^报考\s")).click()  # the 快捷入口 tile
    expect(page.get_by_text("您在本考期尚未报考")).to_be_visible()
    page.get_by_role("link", name="我要报考").click()
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_text("请阅读并勾选")).to_be_visible()
    page.get_by_label("我已阅读并知晓报考简章相关内容及注意事项").check()
    page.get_by_role("button", name="下一步").click()

    expect(page.locator("#id_exam_area")).to_have_value(str(area.pk))
    page.locator("#id_major").select_option(label=page.locator("#id_major option", has_text="会计学").inner_text())
    english = page.locator("[data-course]", has_text="英语（二）")
    expect(english).to_be_hidden()  # another major's course, until 显示全部开考课程
    own = page.locator("[data-course]", has_text="财务管理学")
    own.locator("input").check()
    expect(own.locator("[data-cross-badge]")).to_be_hidden()
    page.get_by_role("button", name="显示全部开考课程").click()
    expect(english).to_be_visible()
    expect(english.locator("[data-cross-badge]")).to_be_visible()
    english.locator("input").check()
    # 审计学 is at the same time as 英语（二）: the page blocks it (the server would refuse it too)
    expect(page.locator("[data-course]", has_text="审计学").locator("input")).to_be_disabled()
    expect(page.locator("[data-summary]")).to_contain_text("60.00")
    shoot(page, "registration-form")
    page.get_by_role("button", name="下一步").click()

    expect(page.get_by_role("heading", name="报考信息预览")).to_be_visible()
    expect(page.get_by_text("需缴费 2 门，合计 ¥60.00")).to_be_visible()
    shoot(page, "registration-preview")
    page.get_by_role("button", name="提交报考").click()

    expect(page.get_by_text("报考信息已提交")).to_be_visible()
    expect(page.get_by_text("00015 英语（二） 报考费")).to_be_visible()
    pay_on_gateway(page)

    page.get_by_role("link", name="查看报考信息").click()
    expect(page.locator("[data-registration-status]")).to_have_text("报考成功")
    expect(page.locator("[data-course-code='00015']")).to_contain_text("已缴费")
    shoot(page, "registration-overview")

    # Change: drop 英语（二）, add 审计学 in its place
    page.get_by_role("link", name="修改课程或考区").click()
    page.locator("[data-course]", has_text="英语（二）").locator("input").uncheck()
    page.locator("[data-course]", has_text="审计学").locator("input").check()
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_text("以下已缴费课程将被退选，报考费将原路退回")).to_contain_text("英语（二）")
    expect(page.get_by_text("需缴费 1 门，合计 ¥30.00")).to_be_visible()
    page.get_by_role("button", name="提交报考").click()
    pay_on_gateway(page)

    page.get_by_role("link", name="查看报考信息").click()
    expect(page.locator("[data-registration-status]")).to_have_text("报考成功")
    expect(page.locator("[data-course-code='00015']")).to_contain_text("已退款")
    expect(page.locator("[data-course-code='00160']")).to_contain_text("已缴费")
    expect(page.get_by_text("部分退款")).to_be_visible()
    refund = Refund.objects.get()
    assert refund.status == Refund.Status.REFUNDED and refund.amount == Decimal("30.00")
