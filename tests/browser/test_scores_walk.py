"""成绩 walked in the browser: the province authority imports a score file → sets the 成绩公布时间 to a
moment ago → the candidate sees 当次成绩, 历次合格成绩 and the 毕业预测."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from walk_helpers import log_in

from kaowu.records.tests.conftest import world_build
from kaowu.testing.factories import StaffMemberFactory, StaffUserFactory

pytestmark = pytest.mark.browser


SCORES = ("准考证号,姓名,课程代码,成绩,缺考/违纪\n"
          "620101000001,张伟,00015,75,\n620101000001,张伟,03708,52,\n620101000001,张伟,03709,,缺考\n"
          "620101000001,张伟,00024,81.5,\n620101000002,王芳,00015,66,\n")


def test_import_publish_and_the_candidate_sees_scores_and_prediction(gansu, page, solve_captcha, shoot, tmp_path,
                                                                      settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = world_build()
    StaffMemberFactory(office=world.province_staff.office,
                       user=StaffUserFactory(username="gs-scores", real_name="成绩管理员"))
    score_file = tmp_path / "2027年4月成绩.csv"
    score_file.write_bytes(SCORES.encode("gbk"))

    log_in(page, solve_captcha, "/backoffice/login/", "gs-scores", "登录管理端")
    page.get_by_role("link", name="成绩导入").click()
    page.locator("#id_file").set_input_files(str(score_file))
    page.get_by_role("button", name="上传并校验").click()
    expect(page.locator("[data-import-status]")).to_have_text("已导入")
    expect(page.get_by_text("校验通过，已导入 5 条成绩。")).to_be_visible()
    shoot(page, "walk-staff-score-import-done")

    page.get_by_role("link", name="返回").click()
    moment_ago = timezone.localtime(timezone.now() - datetime.timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M")
    row = page.locator(f"tr[data-sitting='{world.sitting.code}']")
    row.locator("input[type=datetime-local]").fill(moment_ago)
    row.get_by_role("button", name="保存").click()
    expect(page.locator(f"tr[data-sitting='{world.sitting.code}']").get_by_text("已公布")).to_be_visible()

    page.context.clear_cookies()
    candidate = world.numbers["n1"].candidate
    log_in(page, solve_captcha, "/accounts/login/", candidate.user.phone, "登录")
    page.goto("/me/")
    page.get_by_role("link", name="当次成绩查询").click()
    english = page.locator("li[data-course-code='00015']")
    expect(english.locator("[data-score]")).to_have_text("75")
    expect(english.get_by_text("合格", exact=True)).to_be_visible()
    expect(page.locator("li[data-course-code='03709']")).to_contain_text("缺考")
    shoot(page, "walk-scores-current")

    page.get_by_role("link", name="历次合格成绩").click()
    expect(page.locator("li[data-course-code='00015']")).to_contain_text("考试合格")
    expect(page.locator("li[data-course-code='03708']")).to_have_count(0)

    page.get_by_role("link", name="毕业预测").first.click()
    expect(page.locator("[data-credits-done]")).to_have_text("18")     # 00015 (14) + 00024 (4, the elective)
    expect(page.locator("[data-credits-required]")).to_have_text("30")
    expect(page.locator("li[data-course-code='00312']")).to_contain_text("2027年10月")
    shoot(page, "walk-graduation-prediction")
