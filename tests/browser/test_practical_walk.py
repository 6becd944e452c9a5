"""实践性环节报名 walked in the browser: the candidate opens the tile on 个人中心, picks the practical course
of his plan (须知, preview, 保存), pays on the development gateway and is registered; the 主考学校 (兰州理工大学)
finds the row on its own page in the back office and records 合格 by the row's form; the candidate reads
合格 on the registration and finds the course on 历次合格成绩 and 毕业预测. (The Excel import path is in
kaowu/practicals/tests.) With KAOWU_WALK_SHOTS=<dir> the pages are saved there."""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from walk_helpers import log_in, log_out

from kaowu.catalog.models import BusinessWindow, Course, ExamSitting
from kaowu.catalog.tests.factories import CourseFactory, MajorFactory, PlanCourseFactory
from kaowu.organization.models import Office, Region
from kaowu.records.models import PassedCourse
from kaowu.testing.factories import (
    CandidateFactory,
    ExamNumberFactory,
    OfficeFactory,
    StaffMemberFactory,
    StaffUserFactory,
)

pytestmark = pytest.mark.browser


def snap(page, name):
    folder = os.environ.get("KAOWU_WALK_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}-{page.viewport_size['width']}.png"), full_page=True)


def pay_on_gateway(page):
    page.locator("label.channel", has_text="微信支付").click()
    page.get_by_role("button", name="去缴费").click()
    expect(page).to_have_title(re.compile("微信"))
    page.get_by_role("button", name="支付成功").click()
    expect(page).to_have_url(re.compile(r"\?from=gateway$"))
    if page.get_by_role("button", name="我已缴费").count():  # the notification may come after the return
        page.get_by_role("button", name="我已缴费").click()
    expect(page.locator(".card__title .badge")).to_have_text("已缴费")


def test_a_practical_registration_from_the_tile_to_the_record(page, gansu, solve_captcha, shoot):
    lanzhou = Region.objects.get(code="620100")
    area = OfficeFactory(kind=Office.Kind.EXAM_AREA, region=lanzhou, name="兰州市考区", code="EA6201")
    university = OfficeFactory(kind=Office.Kind.UNIVERSITY, region=Region.objects.get(code="620103"),
                               name="兰州理工大学", code="U10731")
    StaffMemberFactory(office=university, user=StaffUserFactory(username="lut-walk", real_name="吴登记"))
    major = MajorFactory(code="080901", name="计算机科学与技术", university=university)
    PlanCourseFactory(major=major, course=CourseFactory(code="02324", name="离散数学"), position=0)
    PlanCourseFactory(major=major, course=CourseFactory(code="04748", name="Java语言程序设计（一）（实践）",
                                                        credits=1, kind=Course.Kind.PRACTICE), position=1)
    candidate = CandidateFactory(district=Region.objects.get(code="620102"), user__real_name="赵子轩")
    ExamNumberFactory(candidate=candidate, exam_area=area, number="010221040031", major_name="计算机科学与技术")
    sitting = ExamSitting.objects.create(code="2027-04", name="2027年4月", is_current=True)
    BusinessWindow.objects.create(kind=BusinessWindow.Kind.PRACTICE_REGISTRATION, sitting=sitting,
                                  starts_at=timezone.now() - timedelta(days=1),
                                  ends_at=timezone.now() + timedelta(days=14))

    # 个人中心 → 实践性环节报名 → choose the course → 预览 → 保存
    log_in(page, solve_captcha, "/accounts/login/", candidate.user.phone, "登录")
    page.get_by_role("link", name=re.compile("^实践性环节报名")).first.click()
    expect(page.get_by_text("实践性环节报名须知")).to_be_visible()
    snap(page, "candidate-landing")
    page.get_by_role("link", name="实践性环节报名", exact=True).click()
    expect(page.locator("[data-course='04748']")).to_contain_text("兰州理工大学")
    expect(page.locator("[data-course='02324']")).to_have_count(0)  # a theory course is not offered
    page.locator("#course-04748").check()
    page.get_by_label(re.compile("我已阅读实践性环节报名须知")).check()
    snap(page, "candidate-form")
    page.get_by_role("button", name="下一步：预览").click()
    expect(page.get_by_role("heading", name="确认实践性环节报名")).to_be_visible()
    snap(page, "candidate-preview")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".card__title [data-status]")).to_have_text("待缴费")
    snap(page, "candidate-unpaid")

    # 去缴费 on the development gateway → 报名成功
    page.get_by_role("button", name="去缴费").click()
    expect(page.get_by_text("04748 Java语言程序设计（一）（实践） 实践性环节报名费")).to_be_visible()
    pay_on_gateway(page)
    page.get_by_role("link", name="查看实践性环节报名").click()
    expect(page.locator(".card__title [data-status]")).to_have_text("报名成功")
    expect(page.locator("[data-item='04748'] [data-result]")).to_have_text("已报名，待登记成绩")
    snap(page, "candidate-registered")
    log_out(page)

    # the 主考学校 records 合格 on its own page
    log_in(page, solve_captcha, "/backoffice/login/", "lut-walk", "登录管理端")
    page.get_by_role("link", name="实践性环节报名").first.click()
    row = page.locator("[data-row='010221040031-04748']")
    expect(row).to_contain_text("赵子轩")
    expect(row).not_to_contain_text(candidate.user.id_number)
    snap(page, "staff-list")
    row.get_by_role("button", name="合格", exact=True).click()
    expect(page.get_by_text(re.compile("已登记 04748"))).to_be_visible()
    expect(page.locator("[data-row='010221040031-04748'] [data-result]")).to_have_text("合格")
    snap(page, "staff-recorded")
    log_out(page)

    # the candidate reads 合格; the course is on 历次合格成绩 and 毕业预测
    log_in(page, solve_captcha, "/accounts/login/", candidate.user.phone, "登录")
    page.goto("/practicals/registration/")
    page.get_by_role("link", name="查看", exact=True).first.click()
    expect(page.locator(".card__title [data-status]")).to_have_text("成绩已登记")
    expect(page.locator("[data-item='04748'] [data-result]")).to_have_text("合格")
    snap(page, "candidate-result")
    page.get_by_role("link", name="查看历次合格成绩").click()
    expect(page.locator("main").get_by_text("Java语言程序设计（一）（实践）").first).to_be_visible()
    expect(page.locator("main").get_by_text("实践考核合格").first).to_be_visible()
    snap(page, "candidate-passed")
    page.goto("/scores/prediction/")
    expect(page.locator("[data-course-code='04748']")).to_have_class(re.compile("is-done"))
    expect(page.locator("[data-course-code='04748']")).to_contain_text("实践考核合格")
    snap(page, "candidate-prediction")
    shoot(page, "practical-prediction")
    assert list(PassedCourse.objects.values_list("course__code", "source")) == [("04748", "practice")]
