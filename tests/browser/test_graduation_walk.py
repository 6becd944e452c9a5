"""毕业 walked in the browser.

- 毕业预测 and 毕业资格初审: the candidate's 毕业预测 shows his own major and every other major he could
  graduate in; the province authority runs 毕业资格初审 and reads the counts by major.
- 毕业申请, at 375 and 1280 px: the candidate chooses the major his 考籍 completes, the 学历认证 service
  times out (nothing lost) and then passes, he fills the 毕业生登记表 and submits; the 主考学校 approves from
  its detail page (eligibility, 学历认证 and photo in the panel), the province by 批量审核通过; at 待考生网上
  确认 he finds an error (【毕业信息有误，修改重新提交】), corrects the 登记表 and it goes round the chain
  again; then 【确认毕业信息无误】 → 毕业证书编号 on the detail page, every step under 查看审批, and 毕业预测
  says 已毕业. With GRADUATION_SHOTS=<dir> this walk saves its pages there (both widths).
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from walk_helpers import log_in, log_out

from kaowu.catalog.models import BusinessWindow, PlanCourse
from kaowu.catalog.tests.factories import CourseFactory, MajorFactory, PlanCourseFactory
from kaowu.graduation.models import Graduate
from kaowu.graduation.tests.application_fixtures import give_photo, passes
from kaowu.organization.models import Office, Region
from kaowu.records.models import PassedCourse
from kaowu.records.tests.conftest import world_build
from kaowu.testing.factories import (
    CandidateFactory,
    ExamNumberFactory,
    OfficeFactory,
    StaffMemberFactory,
    StaffUserFactory,
)

pytestmark = pytest.mark.browser


def test_the_planner_lists_other_majors_and_the_province_runs_the_batch(gansu, page, solve_captcha, shoot):
    world = world_build()
    candidate = world.numbers["n1"].candidate
    for code, source in [("00015", "exam"), ("03708", "transfer_in"), ("03709", "exemption")]:
        PassedCourse.objects.create(candidate=candidate, course=world.courses[code], source=source,
                                    passed_on="2025-05-01")
    secretary = MajorFactory(code="120404", name="秘书学")
    for code in ("00015", "03708"):
        PlanCourse.objects.create(major=secretary, course=world.courses[code])
    public = MajorFactory(code="120403", name="公共事业管理")
    for code in ("00015", "03708", "00312"):
        PlanCourse.objects.create(major=public, course=world.courses[code])
    StaffMemberFactory(office=world.province_staff.office,
                       user=StaffUserFactory(username="gs-graduation", real_name="毕业管理员"))

    log_in(page, solve_captcha, "/accounts/login/", candidate.user.phone, "登录")
    page.goto("/me/")
    page.get_by_role("link", name="毕业预测").first.click()
    expect(page.locator("[data-credits-done]")).to_have_text("20")
    expect(page.locator("[data-other-major='120404']")).to_contain_text("已满足毕业课程要求")
    expect(page.locator("[data-other-major='120403']")).to_contain_text("还差 1 门课程")
    expect(page.locator("[data-other-major='120403']")).to_contain_text("2027年10月")
    shoot(page, "walk-graduation-planner")

    page.context.clear_cookies()
    log_in(page, solve_captcha, "/backoffice/login/", "gs-graduation", "登录管理端")
    page.get_by_role("link", name="毕业资格初审").first.click()
    page.get_by_role("button", name="开始初审").click()
    expect(page.locator("[data-run-status]")).to_have_attribute("data-run-status", "done")
    expect(page.locator("tr[data-major='120404'] [data-eligible]")).to_have_text("1")
    expect(page.locator("tr[data-major='120402'] [data-lacking]")).to_have_text("4")
    expect(page.get_by_role("link", name="导出初审结果（Excel）")).to_be_visible()
    shoot(page, "walk-staff-graduation-eligibility")


TIMEOUT, PASSING = "125811202106000000", "125811202106000123"


@pytest.fixture
def snap(shoot):
    folder = os.environ.get("GRADUATION_SHOTS")

    def save(page, name):
        shoot(page, f"graduation-{name}")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / f"{name}-{page.viewport_size['width']}.png"), full_page=True)

    return save


def review(page, solve_captcha, username):
    log_in(page, solve_captcha, "/backoffice/login/", username, "登录管理端")
    page.get_by_role("link", name=re.compile("^申请审核")).first.click()


def approve_one(page, solve_captcha, username, snap=None):
    review(page, solve_captcha, username)
    page.get_by_role("link", name="审核", exact=True).first.click()
    panel = page.locator("[data-graduation-panel]")
    expect(panel.locator("[data-eligibility]")).to_contain_text("符合毕业条件")
    expect(panel.locator("[data-degree-status=passed]")).to_be_visible()
    expect(panel.locator("img[data-staff-photo]")).to_be_visible()
    if snap:
        snap(page, "staff-detail")
    page.locator("form:has(input[name=action][value=approve])").get_by_role("button").click()
    log_out(page)


def test_graduation_from_the_major_to_the_certificate_number(page, gansu, solve_captcha, settings, tmp_path, snap):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEMO_MODE = True
    area = OfficeFactory(kind=Office.Kind.EXAM_AREA, region=Region.objects.get(code="620100"), name="兰州市考区",
                         code="EA6201")
    province = OfficeFactory(kind=Office.Kind.PROVINCE_AUTHORITY, region=Region.objects.get(code="620000"),
                             name="甘肃省教育考试院", code="P62")
    lzu = OfficeFactory(kind=Office.Kind.UNIVERSITY, region=Region.objects.get(code="620102"), name="兰州大学",
                        code="U10730")
    StaffMemberFactory(office=lzu, user=StaffUserFactory(username="lzu-walk", real_name="周审核"))
    StaffMemberFactory(office=province, user=StaffUserFactory(username="gs-walk", real_name="李审核"))
    major = MajorFactory(code="120402", name="行政管理", university=lzu)
    courses = {}
    for code, name, credits in (("00015", "英语（二）", 14), ("03708", "中国近现代史纲要", 2),
                                ("03709", "马克思主义基本原理概论", 4), ("00312", "政治学概论", 6)):
        courses[code] = CourseFactory(code=code, name=name, credits=credits)
        PlanCourseFactory(major=major, course=courses[code])
    candidate = CandidateFactory(district=Region.objects.get(code="620102"))
    ExamNumberFactory(candidate=candidate, exam_area=area, number="010215100073", major_name="行政管理")
    passes(candidate, courses, courses)
    give_photo(candidate.user)
    BusinessWindow.objects.create(kind=BusinessWindow.Kind.GRADUATION, sitting=None,
                                  starts_at=timezone.now() - timedelta(days=1),
                                  ends_at=timezone.now() + timedelta(days=14))
    page.on("dialog", lambda dialog: dialog.accept())

    # 个人中心 › 毕业申请 › 【毕业申请】 → 毕业专业
    log_in(page, solve_captcha, "/accounts/login/", candidate.user.phone, "登录")
    page.get_by_role("link", name=re.compile("^毕业申请")).first.click()
    expect(page.get_by_text("毕业申请须知")).to_be_visible()
    page.get_by_role("link", name="毕业申请", exact=True).click()
    page.get_by_label(re.compile("120402 行政管理")).check()
    snap(page, "major")
    page.get_by_role("button", name="下一步").click()

    # 学历认证: the service times out (the number stays), then passes
    page.get_by_label(re.compile("本人同意省级考试机构")).check()
    page.get_by_label("专科毕业证书编号").fill(TIMEOUT)
    page.locator("[data-degree-check]").click()
    expect(page.locator("[data-degree-result=unavailable]")).to_be_visible()
    expect(page.get_by_text(re.compile("超时")).first).to_be_visible()
    expect(page.get_by_label("专科毕业证书编号")).to_have_value(TIMEOUT)
    expect(page.locator("[data-degree-test-numbers]")).to_contain_text(PASSING)
    snap(page, "degree-timeout")
    page.get_by_label("专科毕业证书编号").fill(PASSING)
    page.locator("[data-degree-check]").click()
    expect(page.locator("[data-degree-result=passed]")).to_contain_text("兰州职业技术学院")
    page.get_by_role("link", name="下一步").click()

    # 毕业生登记表 → preview → 【确认提交申请】
    expect(page.locator(".grad-sheet__photo img")).to_be_visible()
    page.get_by_role("textbox", name="工作单位", exact=True).fill("兰州市城关区人民政府")
    page.get_by_role("textbox", name="通讯地址", exact=True).fill("甘肃省兰州市城关区庆阳路1号")
    page.get_by_role("textbox", name="邮编", exact=True).fill("730030")
    page.get_by_role("textbox", name="联系电话", exact=True).fill("13893100128")
    page.get_by_label("个人简历 1 · 起止年月").fill("2012.09—2015.07")
    page.get_by_label("个人简历 1 · 学习或工作单位").fill("兰州职业技术学院")
    page.get_by_label("个人简历 1 · 职务（身份）").fill("学生")
    page.get_by_role("textbox", name="自我鉴定", exact=True).fill("遵纪守法，刻苦自学，按计划完成了全部课程。")
    snap(page, "register")
    page.get_by_role("button", name="下一步：预览").click()
    expect(page.get_by_role("heading", name="核对毕业生登记表")).to_be_visible()
    expect(page.locator("[data-degree-summary]")).to_contain_text("在线学历认证通过")
    snap(page, "preview")
    page.get_by_role("button", name="确认提交申请").click()
    expect(page.get_by_text(re.compile("等待兰州大学审核")).first).to_be_visible()
    log_out(page)

    # the 主考学校 approves from the detail page; the province by 批量审核通过
    approve_one(page, solve_captcha, "lzu-walk", snap)
    review(page, solve_captcha, "gs-walk")
    page.locator("input[name=ids]").first.check()
    page.get_by_role("button", name="批量审核通过").click()
    expect(page.get_by_text("已审核通过 1 条申请。")).to_be_visible()
    log_out(page)

    # 待考生网上确认 → 【毕业信息有误，修改重新提交】 → corrected → round the chain again
    log_in(page, solve_captcha, "/accounts/login/", candidate.user.phone, "登录")
    page.get_by_role("link", name=re.compile("^毕业申请")).first.click()
    page.get_by_role("link", name="查看审批").first.click()
    expect(page.locator("[data-status]")).to_have_text("待考生网上确认")
    download = page.request.get(page.get_by_role("link", name="下载毕业生登记表").first.get_attribute("href"))
    assert download.ok and download.headers["content-type"] == "application/pdf"
    snap(page, "awaiting")
    page.get_by_role("button", name="毕业信息有误，修改重新提交").click()
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("link", name="下一步").click()
    page.get_by_role("textbox", name="工作单位", exact=True).fill("兰州市七里河区人民政府")
    page.get_by_role("button", name="下一步：预览").click()
    page.get_by_role("button", name="确认提交申请").click()
    expect(page.get_by_text(re.compile("等待兰州大学审核")).first).to_be_visible()
    log_out(page)
    approve_one(page, solve_captcha, "lzu-walk")
    approve_one(page, solve_captcha, "gs-walk")

    # 【确认毕业信息无误】 → 毕业证书编号; 查看审批 shows every step; 毕业预测 says 已毕业
    log_in(page, solve_captcha, "/accounts/login/", candidate.user.phone, "登录")
    page.get_by_role("link", name=re.compile("^毕业申请")).first.click()
    page.get_by_role("link", name="查看审批").first.click()
    page.get_by_role("button", name="确认毕业信息无误").click()
    graduate = Graduate.objects.get(candidate=candidate)
    expect(page.locator("[data-certificate-number]")).to_have_text(graduate.certificate_number)
    assert graduate.application.data["register"]["work_unit"] == "兰州市七里河区人民政府"
    timeline = page.locator("#approval")
    for text in ("考生确认毕业信息有误，修改重新提交", "修改后重新提交", "考生确认毕业信息无误", "主考学校审核"):
        expect(timeline.get_by_text(text).first).to_be_visible()
    snap(page, "graduated")
    page.goto("/scores/prediction/?major=120402")
    expect(page.locator("[data-graduated]").first).to_contain_text(graduate.certificate_number)
