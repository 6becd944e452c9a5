"""毕业论文答辩申请 walked in the browser (seed 003, 毕业管理): the candidate clicks 【申请毕业论文答辩】 from
个人中心, fills in and confirms 联系方式 and 毕业信息, previews and submits; the 主考学校 打回 it with a reason;
the candidate reads it, uses 【修改申请信息】 and resubmits; the university accepts it (待答辩) and records
通过 with the grade 良好; the candidate reads the result and finds the thesis on 历次合格成绩.

With KAOWU_WALK_SHOTS=<dir> the candidate's and the university's pages are saved there at each width."""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from walk_helpers import log_in, log_out

from kaowu.catalog.models import BusinessWindow, Course, ExamSitting
from kaowu.catalog.tests.factories import CourseFactory, MajorFactory, PlanCourseFactory, UniversityFactory
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


def open_thesis(page):
    page.goto("/me/")
    page.get_by_role("link", name=re.compile("^毕业论文答辩申请")).first.click()


def open_review(page, solve_captcha, tab="待审核", link="审核"):
    log_in(page, solve_captcha, "/backoffice/login/", "nwnu-walk", "登录管理端")
    page.get_by_role("link", name=re.compile("^申请审核")).first.click()
    if tab != "待审核":
        page.get_by_role("link", name=re.compile(f"^{tab}")).first.click()
    page.get_by_role("link", name=link, exact=True).first.click()


def test_a_thesis_defence_from_the_application_to_the_record(page, gansu, solve_captcha, shoot):
    university = UniversityFactory(code="U10736", name="西北师范大学")
    StaffMemberFactory(office=university, user=StaffUserFactory(username="nwnu-walk", real_name="郭审核"))
    area = OfficeFactory(kind=Office.Kind.EXAM_AREA, region=Region.objects.get(code="620100"), name="兰州市考区",
                         code="EA6201")
    major = MajorFactory(code="050105", name="汉语言文学", university=university)
    courses = [CourseFactory(code="03708", name="中国近现代史纲要"), CourseFactory(code="00529", name="文学概论（一）"),
               CourseFactory(code="07042", name="汉语言文学专业毕业论文", credits=8, kind=Course.Kind.THESIS)]
    for position, course in enumerate(courses):
        PlanCourseFactory(major=major, course=course, position=position)
    candidate = CandidateFactory(district=Region.objects.get(code="620102"), user__real_name="张浩然")
    ExamNumberFactory(candidate=candidate, exam_area=area, number="010219100023", major_name="汉语言文学")
    PassedCourse.objects.create(candidate=candidate, course=courses[0], score=78, passed_on=timezone.localdate())
    sitting = ExamSitting.objects.create(code="2027-04", name="2027年4月", is_current=True)
    BusinessWindow.objects.create(kind=BusinessWindow.Kind.THESIS, sitting=sitting,
                                  starts_at=timezone.now() - timedelta(days=1),
                                  ends_at=timezone.now() + timedelta(days=14))

    # the candidate applies from the 个人中心: one theory course short is within the allowance
    log_in(page, solve_captcha, "/accounts/login/", candidate.user.phone, "登录")
    open_thesis(page)
    expect(page.get_by_text("毕业论文答辩须知")).to_be_visible()
    expect(page.locator("[data-theory-standing]")).to_contain_text("00529 文学概论（一）")
    snap(page, "thesis-landing")
    page.get_by_role("link", name="申请毕业论文答辩").click()
    expect(page.locator("#id_phone")).to_have_value(candidate.user.phone)
    expect(page.locator("[data-graduation-info]")).to_contain_text("07042 汉语言文学专业毕业论文（8学分）")
    page.locator("#id_address").fill("甘肃省兰州市城关区雁滩路100号")
    page.locator("#id_postcode").fill("730000")
    page.locator("#id_title").fill("论鲁迅小说")
    page.locator("#id_supervisor").fill("王建国 教授")
    page.get_by_label("我已核对联系方式及毕业信息，确认无误").check()
    snap(page, "thesis-form")
    page.get_by_role("button", name="下一步：预览").click()
    expect(page.get_by_role("heading", name="确认毕业论文答辩申请")).to_be_visible()
    snap(page, "thesis-preview")
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("[data-next-step]")).to_contain_text("已提交西北师范大学审核")
    log_out(page)

    # the university 打回 it with a reason (the engine's 退回修改)
    open_review(page, solve_captcha)
    expect(page.locator("[data-thesis-panel]")).to_contain_text("论鲁迅小说")
    snap(page, "thesis-staff-review")
    form = page.locator("form:has(input[name=action][value=return])")
    form.locator("textarea").fill("论文题目过于宽泛，请具体到作品")
    form.get_by_role("button").click()
    log_out(page)

    # the candidate reads why and uses 【修改申请信息】
    log_in(page, solve_captcha, "/accounts/login/", candidate.user.phone, "登录")
    open_thesis(page)
    page.get_by_role("link", name="查看正在办理的申请").click()
    expect(page.locator("[data-returned-reason]")).to_contain_text("论文题目过于宽泛，请具体到作品")
    expect(page.locator("[data-status]")).to_have_text("已打回")
    snap(page, "thesis-returned")
    page.get_by_role("link", name="修改申请信息").click()
    expect(page.get_by_text("打回原因：")).to_be_visible()
    page.locator("#id_title").fill("论鲁迅《故乡》的乡土叙事")
    page.get_by_label("我已核对联系方式及毕业信息，确认无误").check()
    page.get_by_role("button", name="下一步：预览").click()
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text("第2版").first).to_be_visible()
    log_out(page)

    # the university accepts it (待答辩), then records 通过 with the grade 良好
    open_review(page, solve_captcha)
    page.locator("#id_accept-arrangement").fill("2027年05月20日 09:00 西北师范大学文学院302室")
    page.get_by_role("button", name="审核通过（待答辩）").click()
    expect(page.get_by_text("已审核通过，待答辩")).to_be_visible()
    log_out(page)
    open_review(page, solve_captcha, tab="已处理", link="查看")
    panel = page.locator("[data-thesis-panel]")
    panel.get_by_label("通过", exact=True).check()
    panel.locator("#id_result-grade").select_option(label="良好")
    panel.locator("#id_result-defended_on").fill(timezone.localdate().isoformat())
    snap(page, "thesis-staff-result")
    panel.get_by_role("button", name="确认答辩结果").click()
    expect(page.get_by_text("已登记答辩结果")).to_be_visible()
    expect(page.locator("[data-thesis-panel] [data-defence-result]")).to_contain_text("良好")
    log_out(page)

    # the candidate reads the result and finds the thesis on his record
    log_in(page, solve_captcha, "/accounts/login/", candidate.user.phone, "登录")
    open_thesis(page)
    page.get_by_role("link", name="查看", exact=True).first.click()
    expect(page.locator("[data-status]")).to_have_text("答辩通过")
    expect(page.locator("[data-defence-result] [data-grade]")).to_have_text("良好")
    snap(page, "thesis-passed")
    shoot(page, "thesis-passed")
    page.get_by_role("link", name="在历次合格成绩中查看").click()
    thesis = page.locator("[data-passed-courses] [data-course-code='07042']")
    expect(thesis).to_contain_text("汉语言文学专业毕业论文")
    expect(thesis).to_contain_text("毕业论文答辩合格")
    expect(thesis).to_contain_text("答辩成绩：良好")
    snap(page, "thesis-record")
    assert PassedCourse.objects.get(candidate=candidate, course__code="07042").source == PassedCourse.Source.THESIS
