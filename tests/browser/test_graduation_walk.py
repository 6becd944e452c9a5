"""毕业 walked in the browser: the candidate's 毕业预测 shows his own major and every other major he could
graduate in; the province authority runs 毕业资格初审 and reads the counts by major."""

import pytest
from playwright.sync_api import expect
from walk_helpers import log_in

from kaowu.catalog.models import PlanCourse
from kaowu.catalog.tests.factories import MajorFactory
from kaowu.records.models import PassedCourse
from kaowu.records.tests.conftest import world_build
from kaowu.testing.factories import StaffMemberFactory, StaffUserFactory

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
