"""考籍转入 walked in the browser (纸质档案): the province authority enters a paper transfer from 青海
(录入纸质档案, three courses, one not in this province's catalog); the candidate opens 考籍转入 from the
个人中心 tile, sees every score, 确认转入 → the QR page → signs with the mouse on the phone page →
the desktop moves on by itself → 已确认; the province authority records 接收档案; the candidate's
成绩查询 (历次合格成绩) shows the two matched courses as 转入, and the transfer names the unmatched one."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from walk_helpers import log_in, log_out

from kaowu.catalog.models import BusinessWindow, ExamSitting
from kaowu.catalog.tests.factories import CourseFactory
from kaowu.identity.models import Verification
from kaowu.organization.models import Office, Region
from kaowu.organization.services import province_configure
from kaowu.testing.factories import (
    CandidateFactory,
    ExamNumberFactory,
    OfficeFactory,
    StaffMemberFactory,
    StaffUserFactory,
)

pytestmark = pytest.mark.browser


def sign_on_the_phone(browser, live_server, phone_url, shoot, *, expect_text, name):
    phone_context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 812},
                                        is_mobile=True, has_touch=True, locale="zh-CN")
    try:
        phone = phone_context.new_page()
        phone.goto(phone_url)
        expect(phone.get_by_text("请核对以下内容")).to_be_visible()
        expect(phone.get_by_text(re.compile(expect_text))).to_be_visible()
        shoot(phone, name)  # before drawing: a full-page shot resizes the canvas, which clears it
        canvas = phone.locator("[data-sign-canvas]")
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        phone.mouse.move(box["x"] + 30, box["y"] + 150)
        phone.mouse.down()
        for x, y in [(80, 60), (130, 170), (190, 70), (250, 160), (310, 80)]:
            phone.mouse.move(box["x"] + x, box["y"] + y, steps=8)
        phone.mouse.up()
        phone.get_by_role("button", name="确认签名").click()
        expect(phone.get_by_text("签名成功")).to_be_visible()
    finally:
        phone_context.close()


def confirm_and_sign(page, browser, live_server, shoot, *, prefix):
    """考籍转入 → 查看详情 → 确认转入 → 生成二维码进行签名 → the phone signs → back on the detail page."""
    row = page.locator("[data-in-list] tbody tr").first
    expect(row.locator("[data-status]")).to_have_text("待确认")
    shoot(page, f"{prefix}-list")
    row.get_by_role("link", name="查看详情").click()
    expect(page.get_by_role("heading", name="考籍转入详情")).to_be_visible()
    shoot(page, f"{prefix}-detail")
    page.get_by_role("link", name="确认转入").first.click()
    expect(page.locator("[data-sign-content]")).to_contain_text("本人确认以上考籍转入信息无误")
    shoot(page, f"{prefix}-confirm")
    page.get_by_role("button", name="生成二维码进行签名").click()
    expect(page.locator(".qr__img")).to_be_visible()
    phone_url = page.locator("[data-phone-link]").get_attribute("href")
    sign_on_the_phone(browser, live_server, phone_url, shoot, expect_text="转出省份：", name=f"{prefix}-phone-sign")
    expect(page.get_by_text("签字确认完成，考籍转入已确认")).to_be_visible(timeout=10000)


def test_a_paper_transfer_in_is_confirmed_received_and_joins_the_record(page, browser, live_server, gansu,
                                                                       solve_captcha, shoot):
    province_configure(region_code="630000", authority_name="青海省教育招生考试院",
                       platform_name="青海省自学考试考生服务平台", logo_text="青", hotline="0971-8888888",
                       is_home=False, runs_kaowu=False)
    lanzhou = Region.objects.get(code="620100")
    area = OfficeFactory(kind=Office.Kind.EXAM_AREA, region=lanzhou, name="兰州市考区", code="EA6201")
    authority = OfficeFactory(kind=Office.Kind.PROVINCE_AUTHORITY, region=Region.objects.get(code="620000"),
                              name="甘肃省教育考试院", code="P62")
    StaffMemberFactory(office=authority, user=StaffUserFactory(username="gs-prov-in", real_name="钱审核"))
    candidate = CandidateFactory(district=Region.objects.get(code="620102"), user__real_name="李明")
    Verification.objects.create(user=candidate.user, kind=Verification.Kind.TWO_PHOTOS,
                                status=Verification.Status.PASSED)  # 考籍转入 is shown to the verified person only
    ExamNumberFactory(candidate=candidate, exam_area=area, number="010219100088", major_name="汉语言文学")
    CourseFactory(code="00015", name="英语（二）", credits=14)
    CourseFactory(code="03708", name="中国近现代史纲要", credits=2)
    sitting = ExamSitting.objects.create(code="2027-04", name="2027年4月", is_current=True)
    BusinessWindow.objects.create(kind=BusinessWindow.Kind.TRANSFER_IN, sitting=sitting,
                                  starts_at=timezone.now() - datetime.timedelta(days=1),
                                  ends_at=timezone.now() + datetime.timedelta(days=14))

    # the province authority enters the paper 转出登记表 it received from 青海
    log_in(page, solve_captcha, "/backoffice/login/", "gs-prov-in", "登录管理端")
    page.locator(".side-nav").get_by_role("link", name="考籍转入").click()
    expect(page.get_by_role("heading", name="考籍转入", exact=True)).to_be_visible()
    page.get_by_role("link", name="录入纸质档案").click()
    form = page.locator("[data-enter-form]")
    form.locator("#id_from_province").select_option(label="青海省")
    form.locator("#id_source_number").fill("SQ2026112000000001")
    form.locator("#id_name").fill("李明")
    form.locator("#id_id_number").fill(candidate.user.id_number)
    form.locator("#id_exam_number").fill("630119100001")
    for i, (code, name, credits, score, when) in enumerate([
            ("00015", "英语（二）", "14", "68", "2025年10月"), ("03708", "中国近现代史纲要", "2", "61.5", "2025年4月"),
            ("99901", "青海地方课程", "3", "75", "2024年10月")]):
        for field, value in (("code", code), ("name", name), ("credits", credits), ("score", score),
                             ("sitting", when)):
            form.locator(f"[name=courses-{i}-{field}]").fill(value)
    shoot(page, "transfer-in-staff-enter")
    form.get_by_role("button", name="保存").click()
    expect(page.get_by_text(re.compile("已录入纸质转入档案 ZR"))).to_be_visible()
    expect(page.locator(".card__title [data-status]")).to_have_text("待确认")
    log_out(page)

    # the candidate: 个人中心 → 省际转入 → every score → 确认转入 with the signature
    log_in(page, solve_captcha, "/accounts/login/", candidate.user.phone, "登录")
    page.get_by_role("link", name=re.compile("省际转入")).first.click()
    expect(page.get_by_role("heading", name="考籍转入", exact=True)).to_be_visible()
    row = page.locator("[data-in-list] tbody tr").first
    expect(row).to_contain_text("青海省")
    row.get_by_role("link", name="查看详情").click()
    courses = page.locator("[data-in-courses]")
    for text in ("00015", "英语（二）", "68", "03708", "61.5", "99901", "青海地方课程", "75"):
        expect(courses).to_contain_text(text)
    page.get_by_role("link", name="返回列表").click()
    confirm_and_sign(page, browser, live_server, shoot, prefix="transfer-in")
    expect(page.locator(".card__title [data-status]")).to_have_text("已确认")
    log_out(page)

    # the province authority receives the paper archive: the scores join the record
    log_in(page, solve_captcha, "/backoffice/login/", "gs-prov-in", "登录管理端")
    page.locator(".side-nav").get_by_role("link", name="考籍转入").click()
    row = page.locator("[data-in-list] tbody tr").first
    expect(row.locator("[data-status]")).to_have_text("已确认")
    shoot(page, "transfer-in-staff-list")
    row.get_by_role("link", name="查看详情").click()
    receive = page.locator("[data-receive-form]")
    receive.get_by_label("接收说明").fill("EMS 已签收，档案完整")
    shoot(page, "transfer-in-staff-receive")
    receive.get_by_role("button", name="确认接收档案").click()
    expect(page.get_by_text("已登记接收档案，转入成绩已记入考生考籍。")).to_be_visible()
    expect(page.locator("[data-unmatched]")).to_contain_text("99901 青海地方课程")
    log_out(page)

    # the candidate: 已接收, and 历次合格成绩 shows the matched courses as 转入
    log_in(page, solve_captcha, "/accounts/login/", candidate.user.phone, "登录")
    page.goto("/transfers/in/")
    expect(page.locator("[data-in-list] [data-status]").first).to_have_text("已接收")
    page.get_by_role("link", name="查看详情").first.click()
    expect(page.locator("[data-unmatched]")).to_contain_text("青海地方课程")
    expect(page.locator("[data-course='00015'] [data-outcome]")).to_have_text("已记入考籍")
    shoot(page, "transfer-in-received")
    with page.expect_download() as download:
        page.locator("[data-form-pdf]").click()
    with open(download.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    page.get_by_role("link", name="成绩查询").click()
    page.get_by_role("link", name="历次合格成绩").click()
    for code in ("00015", "03708"):
        item = page.locator(f"[data-passed-courses] [data-course-code='{code}']")
        expect(item).to_have_attribute("data-source", "transfer_in")
        expect(item.locator(".badge")).to_have_text("转入")
    expect(page.locator("[data-passed-courses] [data-course-code='00015']")).to_contain_text("68")
    expect(page.locator("[data-passed-courses] [data-course-code='99901']")).to_have_count(0)
    expect(page.locator("[data-unmatched-note]")).to_contain_text("99901 青海地方课程")
    shoot(page, "transfer-in-scores")
