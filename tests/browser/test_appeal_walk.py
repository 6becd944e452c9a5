"""账号申诉 (lost phone, seed 000) walked in the browser, without logging in: from the login page's
“手机号丢失？申诉” → 验证身份 → (a) 材料辅助申诉 with a generated MP4, approved by the 区县招办 (the video
is on the review page), then the candidate logs in with an SMS code sent to the new phone; (b) one
rejected, the 申诉进度 page shows the reason and the office's phone; (c) 支付宝人脸识别申诉 passed on
the development face check page."""

import re

import pytest
from playwright.sync_api import expect

from kaowu.appeals.tests.mp4s import mp4_bytes
from kaowu.organization.models import Office, Region
from kaowu.testing.factories import (
    TEST_PASSWORD,
    CandidateFactory,
    OfficeFactory,
    StaffMemberFactory,
    StaffUserFactory,
)

pytestmark = pytest.mark.browser
NEW_PHONE = "13912345678"


def setup_people():
    district = OfficeFactory(kind=Office.Kind.DISTRICT_OFFICE, code="D620102", name="城关区招生办",
                             phone="0931-8888823", region=Region.objects.get(code="620102"))
    StaffMemberFactory(office=district, user=StaffUserFactory(username="cg-appeal-walk", real_name="周审核"))
    return CandidateFactory(district=Region.objects.get(code="620102"))


def identify(page, solve_captcha, user, shoot):
    page.goto("/accounts/login/")
    page.get_by_role("link", name="手机号丢失？申诉").click()
    expect(page.get_by_role("heading", name="账号申诉")).to_be_visible()
    page.locator("#id_id_number").fill(user.id_number)
    page.locator("#id_real_name").fill(user.real_name)
    solve_captcha(page.locator("main form"))
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_role("heading", name="选择申诉方式")).to_be_visible()
    shoot(page, "appeal-choose")


def new_phone_code(page, solve_captcha, dev_inbox_code):
    page.locator("#id_phone").fill(NEW_PHONE)
    solve_captcha(page.locator("main form").first)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_text("验证码已发送")).to_be_visible()
    page.locator("#id_sms_code").fill(dev_inbox_code(page, NEW_PHONE))


def material_appeal(page, solve_captcha, dev_inbox_code, shoot, user) -> str:
    identify(page, solve_captcha, user, shoot)
    page.get_by_role("link", name=re.compile("材料辅助申诉")).click()
    expect(page.locator("#id_district")).to_have_value("620102")  # preselected: the account's 所属区县
    expect(page.locator("#id_exam_type")).to_have_value("self_study")
    new_phone_code(page, solve_captcha, dev_inbox_code)
    page.locator("#id_reason").fill("原手机号已停用，无法接收验证码")
    page.locator("#id_video").set_input_files(files=[{"name": "申诉视频.mp4", "mimeType": "video/mp4",
                                                      "buffer": mp4_bytes(seconds=10, mdat_size=64 * 1024)}])
    page.get_by_label("本人承诺此次申诉内容属实").check()
    shoot(page, "appeal-material")
    page.get_by_role("button", name="提交申诉").click()
    expect(page.get_by_role("heading", name="申诉进度")).to_be_visible()
    expect(page.get_by_text("城关区招生办审核中")).to_be_visible()
    expect(page.get_by_text("0931-8888823")).to_be_visible()
    shoot(page, "appeal-progress-reviewing")
    return re.search(r"SQ\d{16}", page.locator("main").inner_text()).group(0)


def staff_open(page, solve_captcha):
    page.goto("/backoffice/login/")
    page.locator("#id_identifier").fill("cg-appeal-walk")
    page.locator("#id_password").fill(TEST_PASSWORD)
    solve_captcha(page.locator("main form"))
    page.locator("main form").get_by_role("button", name="登录管理端", exact=True).click()
    page.get_by_role("link", name=re.compile("^申请审核")).first.click()
    page.get_by_role("link", name="审核", exact=True).first.click()
    video = page.locator("video.appeal-video")
    expect(video).to_be_visible()
    expect(video).to_have_attribute("preload", "metadata")


def test_a_material_appeal_approved_then_login_by_the_new_phone(page, gansu, solve_captcha, dev_inbox_code, shoot):
    candidate = setup_people()
    material_appeal(page, solve_captcha, dev_inbox_code, shoot, candidate.user)

    staff_open(page, solve_captcha)
    shoot(page, "appeal-staff-review")
    page.locator("form:has(input[name=action][value=approve])").get_by_role("button").click()
    expect(page.get_by_text("已审核通过")).to_be_visible()
    page.get_by_role("button", name="安全退出").click()

    page.goto("/accounts/login/?mode=sms")
    page.locator("#id_phone").fill(NEW_PHONE)
    solve_captcha(page.locator("main form"))
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_text("验证码已发送")).to_be_visible()
    page.locator("#id_sms_code").fill(dev_inbox_code(page, NEW_PHONE))
    page.locator("main form").get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("link", name="个人中心").first).to_be_visible()
    candidate.user.refresh_from_db()
    assert candidate.user.phone == NEW_PHONE


def test_a_rejected_material_appeal_shows_the_reason(page, gansu, solve_captcha, dev_inbox_code, shoot):
    candidate = setup_people()
    old_phone = candidate.user.phone
    number = material_appeal(page, solve_captcha, dev_inbox_code, shoot, candidate.user)

    staff_open(page, solve_captcha)
    form = page.locator("form:has(input[name=action][value=reject])")
    form.locator("textarea, input[type=text]").first.fill("视频中未清晰展示身份证件")
    form.get_by_role("button").click()
    expect(page.get_by_text("已审核未通过")).to_be_visible()
    page.get_by_role("button", name="安全退出").click()

    page.goto("/appeals/progress/")
    page.locator("#id_number").fill(number)
    page.locator("#id_id_number").fill(candidate.user.id_number)
    solve_captcha(page.locator("main form"))
    page.get_by_role("button", name="查询").click()
    expect(page.locator("[data-appeal-result]")).to_contain_text("视频中未清晰展示身份证件")
    expect(page.locator("[data-appeal-status]")).to_have_text("审核未通过")
    expect(page.get_by_text("0931-8888823")).to_be_visible()
    shoot(page, "appeal-progress-rejected")
    candidate.user.refresh_from_db()
    assert candidate.user.phone == old_phone


def test_a_face_appeal_passed_on_the_dev_face_check_page(page, gansu, solve_captcha, dev_inbox_code, shoot):
    candidate = setup_people()
    identify(page, solve_captcha, candidate.user, shoot)
    page.get_by_role("link", name=re.compile("支付宝人脸识别申诉")).click()
    new_phone_code(page, solve_captcha, dev_inbox_code)
    page.get_by_role("button", name="获取人脸识别二维码").click()
    expect(page.locator("#face-panel svg")).to_be_visible()
    expect(page.get_by_text("二维码有效期")).to_be_visible()
    shoot(page, "appeal-face-qr")
    with page.context.expect_page() as opened:
        page.locator("[data-face-link]").click()
    phone = opened.value
    expect(phone.get_by_role("heading", name="支付宝人脸核验")).to_be_visible()
    shoot(phone, "appeal-face-dev-check")
    phone.get_by_role("button", name="核验通过").click()
    expect(phone.get_by_text("核验通过，请返回电脑继续操作")).to_be_visible()
    phone.close()
    expect(page.get_by_text("人脸识别已通过")).to_be_visible()
    shoot(page, "appeal-face-passed")
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.get_by_role("heading", name="申诉成功")).to_be_visible()
    shoot(page, "appeal-face-done")
    candidate.user.refresh_from_db()
    assert candidate.user.phone == NEW_PHONE
