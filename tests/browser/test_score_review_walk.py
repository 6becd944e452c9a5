"""成绩复核 walked in the browser (seed 002): the province authority imports a score file and publishes
it → the candidate sees 当次成绩 and the 毕业预测 → applies for 成绩复核 of a failed course (course,
reason, 下一步, 提交审核), downloads the 复核申请表 and uploads it stamped → the province authority
records a changed score → the candidate sees the result and the new score (复核后)."""

import datetime
import re

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect
from walk_helpers import log_in

from kaowu.catalog.models import BusinessWindow
from kaowu.records.models import ExamScore, PassedCourse
from kaowu.records.tests.conftest import world_build
from kaowu.testing.factories import StaffMemberFactory, StaffUserFactory

pytestmark = pytest.mark.browser

SCORES = ("准考证号,姓名,课程代码,成绩,缺考/违纪\n"
          "620101000001,张伟,00015,75,\n620101000001,张伟,03708,52,\n620101000001,张伟,03709,,缺考\n"
          "620101000001,张伟,00024,81.5,\n620101000002,王芳,00015,66,\n")


def test_scores_then_a_score_review_with_a_changed_result(gansu, page, solve_captcha, shoot, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = world_build()
    StaffMemberFactory(office=world.province_staff.office,
                       user=StaffUserFactory(username="gs-scores", real_name="成绩管理员"))
    BusinessWindow.objects.create(kind=BusinessWindow.Kind.SCORE_REVIEW, sitting=world.sitting,
                                  starts_at=timezone.now() - datetime.timedelta(hours=1),
                                  ends_at=timezone.now() + datetime.timedelta(days=10))
    score_file = tmp_path / "2027年4月成绩.csv"
    score_file.write_bytes(SCORES.encode("gbk"))
    stamped = tmp_path / "复核申请表（已盖章）.jpg"
    Image.new("RGB", (900, 1200), "white").save(stamped, "JPEG")

    # The province authority imports and publishes.
    log_in(page, solve_captcha, "/backoffice/login/", "gs-scores", "登录管理端")
    page.get_by_role("link", name="成绩导入").click()
    page.locator("#id_file").set_input_files(str(score_file))
    page.get_by_role("button", name="上传并校验").click()
    expect(page.locator("[data-import-status]")).to_have_text("已导入")
    page.get_by_role("link", name="返回").click()
    moment_ago = timezone.localtime(timezone.now() - datetime.timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M")
    row = page.locator(f"tr[data-sitting='{world.sitting.code}']")
    row.locator("input[type=datetime-local]").fill(moment_ago)
    row.get_by_role("button", name="保存").click()
    expect(page.locator(f"tr[data-sitting='{world.sitting.code}']").get_by_text("已公布")).to_be_visible()

    # The candidate sees the scores and the prediction; 03708 failed with 52.
    page.context.clear_cookies()
    candidate = world.numbers["n1"].candidate
    log_in(page, solve_captcha, "/accounts/login/", candidate.user.phone, "登录")
    page.goto("/me/")
    expect(page.get_by_role("link", name=re.compile(r"^成绩复核\s"))).to_be_visible()   # the tile, window open
    page.get_by_role("link", name="当次成绩查询").click()
    history = page.locator("li[data-course-code='03708']")
    expect(history.locator("[data-score]")).to_have_text("52")
    expect(page.locator("li[data-course-code='03709'] [data-review-link]")).to_have_count(0)   # 缺考
    shoot(page, "score-review-scores-with-links")
    page.get_by_role("link", name="毕业预测").first.click()
    expect(page.locator("[data-credits-done]")).to_have_text("18")

    # 成绩复核: from the score's own link, choose the course, give the reason, check and submit.
    page.get_by_role("link", name="当次成绩").click()
    page.locator("li[data-course-code='03708'] [data-review-link]").click()
    expect(page.locator("tr[data-course-code='03708'] input[type=radio]")).to_be_checked()
    page.locator("#id_reason").fill("自评成绩在 70 分以上，与公布成绩相差较大")
    page.locator("#id_agree").check()
    shoot(page, "score-review-form")
    page.get_by_role("button", name="下一步").click()
    expect(page.locator("[data-review-preview]")).to_contain_text("中国近现代史纲要")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("[data-status]")).to_have_text("待上传申请表")
    expect(page.locator("[data-deadline]")).to_contain_text("上传截止")
    expect(page.locator("[data-days-left]")).to_be_visible()
    shoot(page, "score-review-awaiting-form")
    with page.expect_download() as download:
        page.locator("[data-upload-box] [data-form-pdf]").click()
    with open(download.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert "成绩复核申请表" in download.value.suggested_filename
    page.locator("#id_review_form").set_input_files(str(stamped))
    page.get_by_role("button", name="上传并提交").click()
    expect(page.locator("[data-status]")).to_have_text("审核中")
    expect(page.get_by_text("盖章的复核申请表已上传，等待省级考试机构复核。")).to_be_visible()

    # The province authority re-checks and records a changed score.
    page.context.clear_cookies()
    log_in(page, solve_captcha, "/backoffice/login/", "gs-scores", "登录管理端")
    page.get_by_role("link", name=re.compile(r"^申请审核")).click()
    page.get_by_role("row").filter(has_text="成绩复核").get_by_role("link", name="审核").click()
    panel = page.locator("[data-score-review-panel]")
    expect(panel).to_contain_text("中国近现代史纲要")
    expect(panel.locator("[data-stamped-form]")).to_be_visible()
    expect(page.get_by_role("button", name="审核通过")).to_have_count(0)   # the result is the decision
    panel.get_by_label("成绩有变化").check()
    panel.locator("#id_new_score").fill("64")
    panel.locator("#id_note").fill("第三大题漏评 12 分")
    shoot(page, "score-review-staff-result")
    panel.get_by_role("button", name="确认复核结果").click()
    expect(page.get_by_text("已登记复核结果，考生将收到通知。")).to_be_visible()
    expect(page.locator("[data-score-review-panel] [data-review-result]")).to_contain_text("52 → 64")
    score = ExamScore.objects.get(exam_number=world.numbers["n1"], course__code="03708")
    assert score.score == 64 and score.passed
    assert PassedCourse.objects.filter(candidate=candidate, course__code="03708").exists()

    # The candidate sees the result and the new score.
    page.context.clear_cookies()
    log_in(page, solve_captcha, "/accounts/login/", candidate.user.phone, "登录")
    page.goto("/scores/review/")
    expect(page.locator("[data-review-list] [data-status]")).to_have_text("复核完成")
    shoot(page, "score-review-list")
    page.get_by_role("link", name="查看").click()
    expect(page.locator("[data-review-result] [data-new-score]")).to_have_text("64")
    expect(page.locator(".timeline")).to_contain_text("复核结果：成绩有变化")
    shoot(page, "score-review-result")
    page.get_by_role("link", name="查看成绩").click()
    reviewed = page.locator("li[data-course-code='03708']")
    expect(reviewed.locator("[data-score]")).to_have_text("64")
    expect(reviewed.locator("[data-reviewed]")).to_have_text("复核后")
    expect(reviewed.get_by_text("合格", exact=True)).to_be_visible()
    shoot(page, "score-review-scores-reviewed")
