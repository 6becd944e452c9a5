"""考籍转出 walked in the browser: the candidate with a passed course applies from the 个人中心 tile,
fills the destination, 保存 → 待缴费 → pays on the development gateway → 提交 → the QR page → signs
with the mouse on the phone page (a second browser context) → the desktop moves on → 审核中; the
市考办 and the province authority approve; the province records 寄档; the candidate sees 已完成, the
tracking number, and downloads the 转出登记表."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from walk_helpers import log_in, log_out

from kaowu.catalog.models import BusinessWindow, ExamSitting
from kaowu.catalog.tests.factories import CourseFactory
from kaowu.organization.models import Office, Region
from kaowu.organization.services import province_configure
from kaowu.records.models import PassedCourse
from kaowu.testing.factories import (
    CandidateFactory,
    ExamNumberFactory,
    OfficeFactory,
    StaffMemberFactory,
    StaffUserFactory,
)

pytestmark = pytest.mark.browser


def open_in_queue(page, solve_captcha, username, tab=""):
    log_in(page, solve_captcha, "/backoffice/login/", username, "登录管理端")
    page.get_by_role("link", name=re.compile("^申请审核")).first.click()
    if tab:
        page.goto(f"/backoffice/applications/?tab={tab}")
        page.get_by_role("link", name="查看", exact=True).first.click()
    else:
        page.get_by_role("link", name="审核", exact=True).first.click()


def approve(page, solve_captcha, username):
    open_in_queue(page, solve_captcha, username)
    expect(page.get_by_text("考籍转出申请").first).to_be_visible()
    page.locator("form:has(input[name=action][value=approve])").get_by_role("button").click()
    expect(page.get_by_text(re.compile("已审核通过"))).to_be_visible()
    log_out(page)


def pay_on_gateway(page):
    page.locator("label.channel", has_text="微信支付").click()
    page.get_by_role("button", name="去缴费").click()
    expect(page).to_have_title(re.compile("微信"))
    page.get_by_role("button", name="支付成功").click()
    expect(page).to_have_url(re.compile(r"\?from=gateway$"))
    if page.get_by_role("button", name="我已缴费").count():  # the notification may come after the return
        page.get_by_role("button", name="我已缴费").click()
    expect(page.locator(".card__title .badge")).to_have_text("已缴费")


def sign_on_the_phone(browser, live_server, phone_url, shoot):
    phone_context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 812},
                                        is_mobile=True, has_touch=True, locale="zh-CN")
    try:
        phone = phone_context.new_page()
        phone.goto(phone_url)
        expect(phone.get_by_text("请核对以下内容")).to_be_visible()
        expect(phone.get_by_text(re.compile("转入省份：青海省"))).to_be_visible()
        canvas = phone.locator("[data-sign-canvas]")
        canvas.scroll_into_view_if_needed()  # below the long text to sign
        box = canvas.bounding_box()
        phone.mouse.move(box["x"] + 30, box["y"] + 150)
        phone.mouse.down()
        for x, y in [(80, 60), (130, 170), (190, 70), (250, 160), (310, 80)]:
            phone.mouse.move(box["x"] + x, box["y"] + y, steps=8)
        phone.mouse.up()
        shoot(phone, "transfer-out-phone-sign")
        phone.get_by_role("button", name="确认签名").click()
        expect(phone.get_by_text("签名成功")).to_be_visible()
    finally:
        phone_context.close()


def test_a_transfer_out_from_saving_to_completion(page, browser, live_server, gansu, solve_captcha, shoot):
    province_configure(region_code="630000", authority_name="青海省教育招生考试院",
                       platform_name="青海省自学考试考生服务平台", logo_text="青", hotline="0971-8888888",
                       address="青海省西宁市城西区五四西路", postcode="810008", is_home=False, runs_kaowu=False)
    lanzhou = Region.objects.get(code="620100")
    area = OfficeFactory(kind=Office.Kind.EXAM_AREA, region=lanzhou, name="兰州市考区", code="EA6201")
    city = OfficeFactory(kind=Office.Kind.CITY_OFFICE, region=lanzhou, name="兰州市教育考试院", code="C6201")
    authority = OfficeFactory(kind=Office.Kind.PROVINCE_AUTHORITY, region=Region.objects.get(code="620000"),
                              name="甘肃省教育考试院", code="P62")
    StaffMemberFactory(office=city, user=StaffUserFactory(username="lz-city-out", real_name="赵审核"))
    StaffMemberFactory(office=authority, user=StaffUserFactory(username="gs-prov-out", real_name="钱审核"))
    candidate = CandidateFactory(district=Region.objects.get(code="620102"), user__real_name="王晓燕")
    ExamNumberFactory(candidate=candidate, exam_area=area, number="010219100023", major_name="会计学")
    sitting = ExamSitting.objects.create(code="2027-04", name="2027年4月", is_current=True)
    past = ExamSitting.objects.create(code="2026-10", name="2026年10月",
                                      score_publication_at=timezone.now() - datetime.timedelta(days=30))
    PassedCourse.objects.create(candidate=candidate, course=CourseFactory(code="00015", name="英语（二）", credits=14),
                                score=Decimal("72"), sitting=past, passed_on=datetime.date(2026, 11, 20))
    BusinessWindow.objects.create(kind=BusinessWindow.Kind.TRANSFER_OUT, sitting=sitting,
                                  starts_at=timezone.now() - datetime.timedelta(days=1),
                                  ends_at=timezone.now() + datetime.timedelta(days=14))

    # 个人中心 → 省际转出 → 申请转出: the profile and the passed course are there; fill the destination
    log_in(page, solve_captcha, "/accounts/login/", candidate.user.phone, "登录")
    page.get_by_role("link", name=re.compile("省际转出")).first.click()
    expect(page.get_by_role("heading", name="考籍转出", exact=True)).to_be_visible()
    page.get_by_role("link", name="申请转出").click()
    expect(page.get_by_role("heading", name="考籍转出信息填写")).to_be_visible()
    expect(page.locator("[data-course='00015']")).to_contain_text("英语（二）")
    expect(page.locator("[data-course='00015'] input")).to_be_checked()
    page.locator("#id_to_province").select_option(label="青海省")
    expect(page.get_by_text(re.compile("青海省未使用本平台"))).to_be_visible()
    page.locator("#id_contact_phone").fill("0971-8888888")
    page.get_by_label(re.compile("本人承诺")).check()
    shoot(page, "transfer-out-form")
    page.get_by_role("button", name="下一步：预览").click()
    expect(page.get_by_role("heading", name="确认考籍转出信息")).to_be_visible()
    expect(page.get_by_text("青海省教育招生考试院")).to_be_visible()  # the province's default authority
    page.get_by_role("button", name="保存", exact=True).click()

    # the list: 待缴费 with 去缴费 / 修改 / 删除
    row = page.locator("[data-out-list] tbody tr").first
    expect(row.locator("[data-status]")).to_have_text("待缴费")
    expect(row.get_by_role("button", name="删除")).to_be_visible()
    shoot(page, "transfer-out-list-unpaid")
    row.get_by_role("button", name="去缴费").click()
    expect(page.get_by_text("考籍转出手续费").first).to_be_visible()
    pay_on_gateway(page)
    page.get_by_role("link", name="查看考籍转出申请").click()
    expect(page.locator(".card__title [data-status]")).to_have_text("待提交")

    # 提交: the text to sign → 生成二维码进行签名 → the phone signs → the desktop moves on by itself
    page.get_by_role("link", name="提交", exact=True).click()
    expect(page.locator("[data-sign-content]")).to_contain_text("00015 英语（二） 14学分 72分")
    page.get_by_role("button", name="生成二维码进行签名").click()
    expect(page.locator(".qr__img")).to_be_visible()
    shoot(page, "transfer-out-qr")
    phone_url = page.locator("[data-phone-link]").get_attribute("href")
    sign_on_the_phone(browser, live_server, phone_url, shoot)
    expect(page.get_by_text("考籍转出申请已提交")).to_be_visible(timeout=10000)
    expect(page.locator(".card__title [data-status]")).to_have_text("审核中")
    expect(page.get_by_text("等待兰州市教育考试院审核（市考办审核）")).to_be_visible()
    log_out(page)

    approve(page, solve_captcha, "lz-city-out")
    approve(page, solve_captcha, "gs-prov-out")

    # the province authority records 寄档 on the application's page
    open_in_queue(page, solve_captcha, "gs-prov-out", tab="done")
    form = page.locator("[data-mail-form]")
    form.get_by_label("快递公司").fill("中国邮政EMS")
    form.get_by_label("快递单号").fill("1100123456789")
    shoot(page, "transfer-out-staff-mail")
    form.get_by_role("button", name="确认寄档").click()
    expect(page.get_by_text("已登记寄档，考籍转出已完成。")).to_be_visible()
    log_out(page)

    # the candidate: 已完成, every step in the timeline, the tracking number, the 登记表
    log_in(page, solve_captcha, "/accounts/login/", candidate.user.phone, "登录")
    page.goto("/transfers/out/")
    expect(page.locator("[data-out-list] [data-status]").first).to_have_text("已完成")
    page.get_by_role("link", name="查看", exact=True).first.click()
    expect(page.locator(".card__title [data-status]")).to_have_text("已完成")
    expect(page.locator("[data-mailing]")).to_contain_text("1100123456789")
    timeline = page.locator(".timeline")
    for label in ("待缴费", "待提交", "审核中", "审核通过，转下一步", "审核通过", "已完成"):
        expect(timeline.get_by_text(label, exact=True).first).to_be_visible()
    shoot(page, "transfer-out-done")
    with page.expect_download() as download:
        page.locator("[data-form-pdf]").click()
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert "考籍转出登记表" in download.value.suggested_filename
