"""免考申请 walked in the browser: the province adds a rule in the back office, the candidate applies from
个人中心 › 免考申请 (须知, certificate, courses, a proof photo, preview, 提交), the exam area returns it with a
reason, the candidate corrects and resubmits, the exam area and then the province decide course by course
(one 通过, one 不通过), and the candidate reads each course's result and finds the approved one as 免考 on
历次合格成绩."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from walk_helpers import log_in, log_out

from kaowu.catalog.models import BusinessWindow, ExamSitting
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
from kaowu.testing.files import png_bytes

pytestmark = pytest.mark.browser

PROOF = {"name": "毕业证书.png", "mimeType": "image/png", "buffer": png_bytes(320, 240)}


def open_review(page, solve_captcha, username):
    log_in(page, solve_captcha, "/backoffice/login/", username, "登录管理端")
    page.get_by_role("link", name=re.compile("^申请审核")).first.click()
    page.get_by_role("link", name="审核", exact=True).first.click()


def decide(page, key, decision, comment=""):
    row = page.locator(f"[data-items] tr[data-item='{key}']")
    if comment:
        row.locator("input[name=comment]").fill(comment)
    row.get_by_role("button", name=decision, exact=True).click()
    expect(page.locator(f"[data-items] tr[data-item='{key}']")).to_contain_text(decision)


def act(page, action, text=""):
    form = page.locator(f"form:has(input[name=action][value={action}])")
    if text:
        form.locator("textarea, input[type=text]").first.fill(text)
    form.get_by_role("button").click()


def test_an_exemption_from_the_rule_to_the_record(page, gansu, solve_captcha, shoot):
    lanzhou = Region.objects.get(code="620100")
    area = OfficeFactory(kind=Office.Kind.EXAM_AREA, region=lanzhou, name="兰州市考区", code="EA6201")
    province = OfficeFactory(kind=Office.Kind.PROVINCE_AUTHORITY, region=Region.objects.get(code="620000"),
                             name="甘肃省教育考试院", code="P62")
    StaffMemberFactory(office=area, user=StaffUserFactory(username="lz-area-walk", real_name="钱审核"))
    StaffMemberFactory(office=province, user=StaffUserFactory(username="gs-walk", real_name="李审核"))
    major = MajorFactory(code="050105", name="汉语言文学")
    for code, name in (("03708", "中国近现代史纲要"), ("00529", "文学概论（一）"), ("00535", "现代汉语")):
        PlanCourseFactory(major=major, course=CourseFactory(code=code, name=name))
    candidate = CandidateFactory(district=Region.objects.get(code="620102"))
    ExamNumberFactory(candidate=candidate, exam_area=area, number="010219100023", major_name="汉语言文学")
    sitting = ExamSitting.objects.create(code="2027-04", name="2027年4月", is_current=True)
    BusinessWindow.objects.create(kind=BusinessWindow.Kind.EXEMPTION, sitting=sitting,
                                  starts_at=timezone.now() - timedelta(days=1),
                                  ends_at=timezone.now() + timedelta(days=14))

    # the province adds the rule in the back office
    log_in(page, solve_captcha, "/backoffice/login/", "gs-walk", "登录管理端")
    page.get_by_role("link", name="免考规则").first.click()
    page.get_by_role("link", name="新增免考规则").click()
    page.locator("#id_kind").select_option("academic")
    page.locator("#id_certificate").fill("汉语言文学类专业专科及以上学历")
    page.locator("#id_major").fill("050105")
    page.locator("#id_courses").fill("00529、00535")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("cell", name="汉语言文学类专业专科及以上学历")).to_be_visible()
    log_out(page)

    # the candidate applies from the 个人中心
    log_in(page, solve_captcha, "/accounts/login/", candidate.user.phone, "登录")
    page.get_by_role("link", name=re.compile("^免考申请")).first.click()
    expect(page.get_by_text("免考须知").first).to_be_visible()
    page.get_by_role("link", name="申请免考").click()
    page.get_by_label("我已阅读并知晓免考相关要求及流程").check()
    page.get_by_label("学历证书免考", exact=True).check()
    page.locator("#id_rule").select_option(label="学历证书免考：汉语言文学类专业专科及以上学历（050105 汉语言文学）")
    page.locator("#id_school").fill("兰州城市学院")
    page.locator("#id_studied_major").fill("汉语")
    page.locator("#id_level").select_option("junior_college")
    page.locator("#id_academic_number").fill("107301201805001234")
    page.locator("#id_graduated_on").fill("2018-07-01")
    page.get_by_label(re.compile("00529 文学概论（一）")).check()
    page.get_by_label(re.compile("00535 现代汉语")).check()
    page.locator("#id_certificate_scan").set_input_files(PROOF)
    shoot(page, "exemption-form")
    page.get_by_role("button", name="下一步：预览").click()
    expect(page.get_by_role("heading", name="确认免考申请")).to_be_visible()
    expect(page.get_by_text("107301201805001234")).to_be_visible()
    shoot(page, "exemption-preview")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text(re.compile("等待兰州市考区审核")).first).to_be_visible()
    log_out(page)

    # the exam area returns it with a reason
    open_review(page, solve_captcha, "lz-area-walk")
    act(page, "return", "毕业证书照片不清晰，请重新拍照上传")
    log_out(page)

    log_in(page, solve_captcha, "/accounts/login/", candidate.user.phone, "登录")
    page.get_by_role("link", name=re.compile("^免考申请")).first.click()
    page.get_by_role("link", name=re.compile("申请详情|查看|办理进度")).first.click()
    expect(page.get_by_text(re.compile("毕业证书照片不清晰")).first).to_be_visible()
    page.get_by_role("link", name="修改后重新提交").click()
    page.get_by_label("我已阅读并知晓免考相关要求及流程").check()
    page.locator("#id_certificate_scan").set_input_files(PROOF)
    page.get_by_role("button", name="下一步：预览").click()
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text("第2版").first).to_be_visible()
    log_out(page)

    # the exam area, then the province, decide course by course
    open_review(page, solve_captcha, "lz-area-walk")
    decide(page, "00529", "通过")
    decide(page, "00535", "不通过", "证书所学专业与现代汉语课程不对应")
    shoot(page, "exemption-staff-decide")
    act(page, "approve")
    log_out(page)
    open_review(page, solve_captcha, "gs-walk")
    decide(page, "00529", "通过")
    decide(page, "00535", "不通过", "证书所学专业与现代汉语课程不对应")
    act(page, "approve")
    log_out(page)

    # the candidate reads each course's result and finds 文学概论（一） as 免考
    log_in(page, solve_captcha, "/accounts/login/", candidate.user.phone, "登录")
    page.get_by_role("link", name="当次免考审核结果查询").click()
    results = page.locator("main")
    expect(results.locator("tr[data-item='00529']")).to_contain_text("通过")
    expect(results.locator("tr[data-item='00535']")).to_contain_text("不通过")
    expect(results.get_by_text("证书所学专业与现代汉语课程不对应").first).to_be_visible()
    page.get_by_role("link", name=re.compile("^免考申请")).first.click()
    page.get_by_role("link", name=re.compile("申请详情|查看|办理进度")).first.click()
    expect(page.get_by_text("免考课程审核结果")).to_be_visible()
    shoot(page, "exemption-detail")
    page.goto("/me/")
    page.get_by_role("link", name="合格成绩查询").click()
    expect(page.locator("main").get_by_text("文学概论（一）").first).to_be_visible()
    expect(page.locator("main").get_by_text("免考").first).to_be_visible()
    shoot(page, "exemption-passed")
    assert set(PassedCourse.objects.filter(candidate=candidate).values_list("course__code", "source")) == {
        ("00529", "exemption")}
