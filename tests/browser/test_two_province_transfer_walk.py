"""The two-province electronic transfer (issue 5 item 6), walked in the browser: 甘肃 (province A,
home) approves a 考籍转出 to 青海 (province B, runs kaowu) and its staff export the signed transfer
package through the UI and download it; then 青海's staff import the downloaded file through the UI,
the candidate (the same person, an account at 青海) confirms and signs on the phone, and the scores
join 青海's record as 转入成绩.

Why one database plays both provinces: a test has one live server and one database, and the two
installations differ only in configuration — which Province row is home (`is_home`), which private
key signs (`KAOWU_TRANSFER_SIGNING_KEY`), and which public key each holds for the other
(`Province.transfer_public_key`). So after A's export the walk re-configures the same database as
B's installation: B becomes home with its own (different) signing key, and B's row of A holds A's
public key, which is what signed the package. The candidate's A record (their passed courses) is
removed at the switch, because B's real database never had it; the account stays, standing for the
person's account at B, matched by ID number. The package crosses between the two only as the
downloaded file, exactly as it would between two sites.
"""

import base64
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from PIL import Image, ImageDraw
from playwright.sync_api import expect
from walk_helpers import log_in, log_out

from kaowu.catalog.models import BusinessWindow, ExamSitting
from kaowu.catalog.tests.factories import CourseFactory
from kaowu.identity.models import Verification
from kaowu.organization.models import Office, Province, Region
from kaowu.organization.services import province_configure
from kaowu.payments.devgateway import gateway
from kaowu.payments.models import Order
from kaowu.payments.services import order_pay_start
from kaowu.records.models import PassedCourse
from kaowu.signatures.services import signature_request_create, signature_submit
from kaowu.testing.factories import (
    CandidateFactory,
    ExamNumberFactory,
    OfficeFactory,
    StaffMemberFactory,
    StaffUserFactory,
)
from kaowu.transfers import package as packages
from kaowu.transfers import services as transfer_out
from kaowu.transfers.models import IncomingTransfer
from kaowu.transfers.out import profile_of, signature_content, signature_subject, transferable_courses
from kaowu.workflow import services as workflow
from kaowu.workflow.models import Application

pytestmark = pytest.mark.browser


def drawing() -> str:
    image = Image.new("RGBA", (600, 220), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(40, 150), (120, 60), (200, 160), (300, 70), (420, 150)], fill=(17, 24, 39, 255),
                               width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def submitted_transfer_out(candidate, exam_number) -> Application:
    """The candidate's part at A (walked in test_transfer_out_walk): saved, paid, signed, submitted."""
    courses = transferable_courses(candidate)
    data = {"profile": profile_of(candidate, exam_number), "to_province": "630000", "to_province_name": "青海省",
            "to_province_runs_kaowu": True, "receiving_authority": "青海省教育招生考试院",
            "mailing_address": "青海省西宁市城西区五四西路", "postcode": "810008", "contact_phone": "0971-8888888",
            "courses": courses, "credits_total": sum(c["credits"] for c in courses)}
    application = transfer_out.transfer_out_save(actor=candidate.user, candidate=candidate, exam_number=exam_number,
                                                 data=data)
    order = Order.objects.get(reference=application.number)
    order_pay_start(order=order, channel="wechat")
    gateway.trade_pay(trade_no=gateway.trade_query(channel="wechat", out_trade_no=order.number).trade_no,
                      notify_mode="normal", delay_seconds=0)
    application.refresh_from_db()
    request = signature_request_create(user=candidate.user, purpose="考籍转出申请",
                                       subject=signature_subject(application),
                                       version=application.current_version.number,
                                       content=signature_content(application), return_url="/")
    signature_submit(token=request.token, image_data_url=drawing())
    return transfer_out.transfer_out_submit(application=application, actor=candidate.user)


def sign_on_the_phone(browser, live_server, phone_url, shoot, name):
    phone_context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 812},
                                        is_mobile=True, has_touch=True, locale="zh-CN")
    try:
        phone = phone_context.new_page()
        phone.goto(phone_url)
        expect(phone.get_by_text("请核对以下内容")).to_be_visible()
        expect(phone.get_by_text(re.compile("转入方式：电子转入"))).to_be_visible()
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


def test_a_transfer_between_two_provinces_on_kaowu_completes_electronically(
        page, browser, live_server, gansu, solve_captcha, shoot, settings, tmp_path):
    settings.KAOWU_TRANSFER_SIGNING_KEY = str(tmp_path / "gansu.pem")  # province A's key
    province_configure(region_code="630000", authority_name="青海省教育招生考试院",
                       platform_name="青海省自学考试考生服务平台", logo_text="青", hotline="0971-8888888",
                       address="青海省西宁市城西区五四西路", postcode="810008", is_home=False, runs_kaowu=True)
    lanzhou = Region.objects.get(code="620100")
    area = OfficeFactory(kind=Office.Kind.EXAM_AREA, region=lanzhou, name="兰州市考区", code="EA6201")
    city = OfficeFactory(kind=Office.Kind.CITY_OFFICE, region=lanzhou, name="兰州市教育考试院", code="C6201")
    gansu_office = OfficeFactory(kind=Office.Kind.PROVINCE_AUTHORITY, region=Region.objects.get(code="620000"),
                                 name="甘肃省教育考试院", code="P62")
    city_staff = StaffMemberFactory(office=city)
    StaffMemberFactory(office=gansu_office, user=StaffUserFactory(username="gs-prov-ex", real_name="钱审核"))
    candidate = CandidateFactory(district=Region.objects.get(code="620102"), user__real_name="王晓燕")
    Verification.objects.create(user=candidate.user, kind=Verification.Kind.TWO_PHOTOS,
                                status=Verification.Status.PASSED)  # 考籍转入 is shown to the verified person only
    exam_number = ExamNumberFactory(candidate=candidate, exam_area=area, number="010219100023", major_name="会计学")
    sitting = ExamSitting.objects.create(code="2027-04", name="2027年4月", is_current=True)
    past = ExamSitting.objects.create(code="2026-10", name="2026年10月",
                                      score_publication_at=timezone.now() - datetime.timedelta(days=30))
    for code, name, credits, score in (("00015", "英语（二）", 14, "72"), ("03708", "中国近现代史纲要", 2, "66.5")):
        PassedCourse.objects.create(candidate=candidate, course=CourseFactory(code=code, name=name, credits=credits),
                                    score=Decimal(score), sitting=past, passed_on=datetime.date(2026, 11, 20))
    BusinessWindow.objects.create(kind=BusinessWindow.Kind.TRANSFER_OUT, sitting=sitting,
                                  starts_at=timezone.now() - datetime.timedelta(days=1),
                                  ends_at=timezone.now() + datetime.timedelta(days=14))
    # at province B the candidate confirms inside its 省际转入 window (the same row plays both installations)
    BusinessWindow.objects.create(kind=BusinessWindow.Kind.TRANSFER_IN, sitting=sitting,
                                  starts_at=timezone.now() - datetime.timedelta(days=1),
                                  ends_at=timezone.now() + datetime.timedelta(days=14))
    application = submitted_transfer_out(candidate, exam_number)
    workflow.application_approve(application=application, staff=city_staff)

    # --- province A (甘肃): the authority approves, then exports the package instead of mailing paper
    log_in(page, solve_captcha, "/backoffice/login/", "gs-prov-ex", "登录管理端")
    page.get_by_role("link", name=re.compile("^申请审核")).first.click()
    page.get_by_role("link", name="审核", exact=True).first.click()
    expect(page.locator("[data-transfer-out-panel]")).to_contain_text("电子转考")
    page.locator("form:has(input[name=action][value=approve])").get_by_role("button").click()
    expect(page.get_by_text(re.compile("已审核通过"))).to_be_visible()
    page.goto(f"/backoffice/applications/{application.pk}/")
    panel = page.locator("[data-transfer-out-panel]")
    expect(panel.locator("[data-mail-form]")).to_have_count(0)  # no paper 寄档 between two kaowu provinces
    shoot(page, "transfer-two-province-export")
    panel.get_by_role("button", name="导出电子转考数据包").click()
    expect(page.get_by_text("已导出电子转考数据包，考籍转出已完成。")).to_be_visible()
    with page.expect_download() as download:
        page.locator("[data-package-download]").click()
    package_file = tmp_path / download.value.suggested_filename
    download.value.save_as(package_file)
    assert "电子转考数据包" in download.value.suggested_filename
    application.refresh_from_db()
    assert application.status == "completed"
    gansu_public_key = packages.public_key_pem()
    log_out(page)

    # --- the same database becomes province B's (青海's) installation
    settings.KAOWU_TRANSFER_SIGNING_KEY = str(tmp_path / "qinghai.pem")  # B's own, different key
    province_configure(region_code="630000", authority_name="青海省教育招生考试院",
                       platform_name="青海省自学考试考生服务平台", logo_text="青", hotline="0971-8888888",
                       address="青海省西宁市城西区五四西路", postcode="810008", is_home=True, runs_kaowu=True)
    Province.objects.filter(region__code="620000").update(transfer_public_key=gansu_public_key)
    PassedCourse.objects.filter(candidate=candidate).delete()  # A's record lives in A's database
    qinghai_office = OfficeFactory(kind=Office.Kind.PROVINCE_AUTHORITY, region=Region.objects.get(code="630000"),
                                   name="青海省教育招生考试院", code="P63")
    StaffMemberFactory(office=qinghai_office, user=StaffUserFactory(username="qh-prov-in", real_name="孙接收"))
    assert packages.public_key_pem() != gansu_public_key

    # B's staff import the downloaded file: verified with A's public key
    log_in(page, solve_captcha, "/backoffice/login/", "qh-prov-in", "登录管理端")
    page.locator(".side-nav").get_by_role("link", name="考籍转入").click()
    page.get_by_role("link", name="导入数据包").click()
    page.locator("[data-import-form] input[type=file]").set_input_files(str(package_file))
    shoot(page, "transfer-two-province-import")
    page.get_by_role("button", name="验证并导入").click()
    expect(page.get_by_text(re.compile("数据包签名验证通过，已导入考籍转入 ZR"))).to_be_visible()
    expect(page.locator("[data-method]")).to_contain_text("电子转入")
    expect(page.locator("[data-method]")).to_contain_text("数据包签名已验证")
    expect(page.locator("[data-in-courses]")).to_contain_text("66.5")
    shoot(page, "transfer-two-province-imported")
    # the same file again is refused, with the reason
    page.get_by_role("link", name="导入数据包").click()
    page.locator("[data-import-form] input[type=file]").set_input_files(str(package_file))
    page.get_by_role("button", name="验证并导入").click()
    expect(page.get_by_text(re.compile("已经录入或导入过，不能重复转入"))).to_be_visible()
    assert IncomingTransfer.objects.count() == 1
    # 转考公钥: B's own key to hand over, and the fingerprint of A's key it verifies with
    page.get_by_role("link", name="转考公钥", exact=True).click()
    expect(page.locator("[data-public-key]")).to_contain_text("BEGIN PUBLIC KEY")
    expect(page.get_by_role("row", name=re.compile("甘肃省"))).to_contain_text(packages.key_fingerprint(gansu_public_key))
    shoot(page, "transfer-two-province-public-key")
    log_out(page)

    # the candidate at B confirms with the signature: the package is the archive, the scores join
    log_in(page, solve_captcha, "/accounts/login/", candidate.user.phone, "登录")
    page.goto("/transfers/in/")
    row = page.locator("[data-in-list] tbody tr").first
    expect(row).to_contain_text("甘肃省")
    expect(row).to_contain_text("电子转入")
    row.get_by_role("link", name="确认转入").click()
    expect(page.locator("[data-sign-content]")).to_contain_text("00015 英语（二） 14学分 72分")
    page.get_by_role("button", name="生成二维码进行签名").click()
    expect(page.locator(".qr__img")).to_be_visible()
    phone_url = page.locator("[data-phone-link]").get_attribute("href")
    sign_on_the_phone(browser, live_server, phone_url, shoot, "transfer-two-province-phone-sign")
    expect(page.get_by_text("签字确认完成，考籍转入已确认，转入成绩已记入您的考籍。")).to_be_visible(timeout=10000)
    expect(page.locator(".card__title [data-status]")).to_have_text("已接收")
    shoot(page, "transfer-two-province-confirmed")
    page.goto("/scores/?tab=passed")
    for code, score in (("00015", "72"), ("03708", "66.5")):
        item = page.locator(f"[data-passed-courses] [data-course-code='{code}']")
        expect(item).to_have_attribute("data-source", "transfer_in")
        expect(item).to_contain_text(score)
