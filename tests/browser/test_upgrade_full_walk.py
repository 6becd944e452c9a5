"""专升本 from the first notice to the result, in Chromium at 375 px and 1280 px, with the back office
in a second browser: notices with their countdowns → 填写基本信息 → 信息确认 → 身份认证 → 网上支付 →
报考资格审核 (the province approves the 退役证) → 表格下载 with 《考生准考证》 after the 诚信考试承诺书 →
平行志愿 submitted and modified → the province imports scores and runs 投档 with its tie-break chain →
the candidate sees the result → the college returns (退档) the candidate from its own account → the
candidate sees 退档 and the reason."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from walk_helpers import log_in

from kaowu.identity.tests import imagery
from kaowu.organization.models import Office, Region
from kaowu.testing.factories import (
    CandidateFactory,
    OfficeFactory,
    StaffMemberFactory,
    StaffUserFactory,
)
from kaowu.testing.files import pdf_bytes
from kaowu.upgrade.models import AdmissionBatch, College, Plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = pdf_bytes()


@pytest.fixture
def files(tmp_path):
    paths = {}
    for kind, content in (("id_photo", imagery.jpeg(imagery.id_photo("collins"))),
                          ("id_card_front", imagery.jpeg(imagery.id_card_front("collins"))),
                          ("id_card_back", imagery.jpeg(imagery.back_of_card()))):
        paths[kind] = tmp_path / f"{kind}.jpg"
        paths[kind].write_bytes(content)
    paths["veteran"] = tmp_path / "退役证.pdf"
    paths["veteran"].write_bytes(PDF)
    return paths


@pytest.fixture
def world(gansu):
    point = OfficeFactory(kind=Office.Kind.REGISTRATION_POINT, region=Region.objects.get(code="620102"),
                          name="兰州职业技术学院报名点")
    province = OfficeFactory(kind=Office.Kind.PROVINCE_AUTHORITY, region=Region.objects.get(code="620000"))
    StaffMemberFactory(office=province, user=StaffUserFactory(username="walk-province", real_name="王省级"))
    university = OfficeFactory(kind=Office.Kind.UNIVERSITY, region=Region.objects.get(code="620105"),
                               name="西北师范大学")
    StaffMemberFactory(office=university, user=StaffUserFactory(username="walk-nwnu", real_name="郭招生"))
    now = timezone.now()
    batch = AdmissionBatch.objects.create(code="PT", name="普通批本科", position=2,
                                          opens_at=now - datetime.timedelta(hours=1),
                                          closes_at=now + datetime.timedelta(days=2))
    nwnu = College.objects.create(code="10736", name="西北师范大学", office=university)
    lzcj = College.objects.create(code="10741", name="兰州财经大学")
    Plan.objects.create(batch=batch, college=nwnu, code="01", name="会计学", category="01", seats=2)
    Plan.objects.create(batch=batch, college=lzcj, code="05", name="金融学", category="01", seats=3)
    Plan.objects.create(batch=batch, college=lzcj, code="06", name="财务管理", category="01", seats=3)
    candidate = CandidateFactory(registration_point=point, user__exam_type="upgrade", user__real_name="李娜",
                                 user__candidate_number="26620101130009")
    return candidate


def staff_page(page, live_server):
    context = page.context.browser.new_context(base_url=live_server.url, viewport=page.viewport_size,
                                               locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    return context.new_page()


def test_every_step_to_the_result(page, live_server, world, files, solve_captcha, shoot, tmp_path):
    candidate = world
    log_in(page, solve_captcha, "/accounts/login/", candidate.user.id_number, "登录")
    page.get_by_role("link", name="我的报考").click()
    page.get_by_role("link", name="去报考须知").click()

    # 报考须知 → 教育考试违规处理办法 → 考生承诺书, each button locked for its countdown
    for title, button in [("报考须知", "我已知晓"), ("教育考试违规处理办法", "我已知晓"), ("考生承诺书", "我同意")]:
        expect(page.get_by_role("heading", name=title)).to_be_visible()
        expect(page.get_by_role("button", name=re.compile(button))).to_be_disabled()
        expect(page.get_by_role("button", name=button, exact=True)).to_be_enabled(timeout=13_000)
        page.get_by_role("button", name=button, exact=True).click()

    # 填写基本信息 (a 退役士兵: the qualification review needs the 退役证) → 信息确认
    expect(page.get_by_role("heading", name="填写基本信息")).to_be_visible()
    page.locator("#id_gender").select_option("女")
    page.locator("#id_nation").select_option("汉族")
    page.locator("#id_political_status").select_option("共青团员")
    page.locator("#id_phone").fill("13912340001")
    page.locator("#id_school").fill("兰州职业技术学院")
    page.locator("#id_junior_major").fill("会计(530302)")
    page.locator("#id_candidate_type").select_option("veteran")
    page.locator("#id_category").select_option("01")
    page.locator("#id_household").fill("甘肃省/兰州市/城关区")
    page.locator("#id_recipient").fill("李娜")
    page.locator("#id_recipient_phone").fill("13912340002")
    page.locator("#id_postcode").fill("730030")
    page.locator("#id_mail_address").fill("甘肃省兰州市城关区庆阳路1号")
    row = page.locator("[data-resume-row]").nth(0)
    row.locator("input[name=resume_start]").fill("2019-09")
    row.locator("input[name=resume_organization]").fill("兰州职业技术学院")
    page.get_by_role("button", name="提交并继续").click()
    expect(page.get_by_role("heading", name="信息确认")).to_be_visible()
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_text("基本信息已确认")).to_be_visible()

    # 身份认证: 证件照, 人像面, 国徽面 of the same person pass the comparison
    page.get_by_role("link", name=re.compile("去身份认证")).click()
    page.get_by_role("link", name="阅读告知书").click()
    page.get_by_label(re.compile("我已阅读并同意《人脸信息处理告知书》")).check()
    page.get_by_role("button", name="同意并继续").click()
    page.locator("#id_id_photo_photo").set_input_files(files["id_photo"])
    page.get_by_role("button", name="上传此照片").click()
    expect(page.locator("#slot-id_photo")).to_contain_text("已上传并通过检查")
    for kind in ("id_card_front", "id_card_back"):
        page.locator(f"#id_{kind}_photo").set_input_files(files[kind])
        page.locator(f"#slot-{kind}").get_by_role("button", name="上传").click()
        expect(page.locator(f"#slot-{kind}")).to_contain_text("已上传并通过检查")
    page.get_by_role("button", name="提交验证").click()
    expect(page.get_by_text("已通过").first).to_be_visible(timeout=20_000)

    # 网上支付 on the development cashier
    page.goto("/upgrade/")
    expect(page.locator(".upgrade-rail__step--done")).to_have_count(4)
    page.get_by_role("link", name="去网上支付").click()
    page.get_by_role("button", name="立即支付").click()
    page.locator("label.channel", has_text="微信支付").click()
    page.get_by_role("button", name="去缴费").click()
    page.get_by_role("button", name="支付成功").click()
    expect(page.locator(".card__title .badge")).to_have_text("已缴费")

    # 报考资格审核: upload the 退役证, 确定 → 审核中; the province approves
    page.goto("/upgrade/")
    page.get_by_role("link", name="去报考资格审核").click()
    page.locator("input[name=file_veteran]").set_input_files(files["veteran"])
    page.get_by_role("button", name="上传").click()
    expect(page.get_by_text("已上传。")).to_be_visible()
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_text("审核状态变为“审核中”")).to_be_visible()

    staff = staff_page(page, live_server)
    log_in(staff, solve_captcha, "/backoffice/login/", "walk-province", "登录管理端")
    staff.goto("/backoffice/upgrade/")
    staff.get_by_role("link", name="审核", exact=True).first.click()
    staff.get_by_label("审核通过").check()
    staff.get_by_role("button", name="提交审核结果").click()
    expect(staff.get_by_text("审核结果已保存")).to_be_visible()

    # 表格下载: 《考生准考证》 after the 诚信考试承诺书 (its countdown)
    page.goto("/upgrade/forms/")
    expect(page.get_by_role("link", name="下载《报名信息登记表》")).to_be_visible()
    page.get_by_role("link", name="下载《考生准考证》").click()
    expect(page.get_by_role("heading", name="诚信考试承诺书")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("我已阅读并同意"))).to_be_disabled()
    shoot(page, "upgrade-exam-pledge")
    expect(page.get_by_role("button", name="我已阅读并同意", exact=True)).to_be_enabled(timeout=13_000)
    page.get_by_role("button", name="我已阅读并同意", exact=True).click()
    expect(page.get_by_text("可以下载《考生准考证》")).to_be_visible()
    shoot(page, "upgrade-forms-ticket")
    ticket = page.get_by_role("link", name="下载《考生准考证》")
    expect(ticket).to_have_attribute("href", "/upgrade/forms/ticket.pdf")
    response = page.request.get("/upgrade/forms/ticket.pdf")
    assert response.headers["content-type"] == "application/pdf" and response.body().startswith(b"%PDF")

    # 平行志愿: submitted, then modified
    page.goto("/upgrade/volunteers/")
    page.get_by_role("link", name="填报志愿").click()
    page.get_by_label("平行志愿A院校").select_option(label="10736 西北师范大学")
    page.get_by_label("平行志愿A专业").select_option(label="10736 西北师范大学 · 01 会计学（计划2人）")
    page.get_by_label("平行志愿B院校").select_option(label="10741 兰州财经大学")
    page.get_by_label("平行志愿B专业").select_option(label="10741 兰州财经大学 · 05 金融学（计划3人）")
    page.get_by_role("button", name="确认提交").click()
    expect(page.get_by_text("普通批本科志愿已确认提交")).to_be_visible()
    page.get_by_role("link", name="修改志愿").click()
    page.get_by_label("平行志愿B专业").select_option(label="10741 兰州财经大学 · 06 财务管理（计划3人）")
    page.get_by_role("button", name="确认提交").click()
    expect(page.get_by_text("共提交 2 次")).to_be_visible()
    expect(page.locator("[data-batch=PT]")).to_contain_text("06 财务管理")

    # the province imports the scores and runs 投档 with its chain, published at once
    scores = tmp_path / "scores.csv"
    scores.write_text("考生号,总分,专业综合课,外语\n26620101130009,268.5,130,88\n", encoding="utf-8")
    staff.goto("/backoffice/upgrade/admission/")
    staff.locator("input[name=file]").set_input_files(scores)
    staff.get_by_role("button", name="导入成绩").click()
    expect(staff.get_by_text("已导入 1 条成绩")).to_be_visible()
    card = staff.locator("[data-batch=PT]")
    card.locator("select[name=chain_1]").select_option("foreign_language")
    card.locator("select[name=chain_2]").select_option("major_subject")
    published = timezone.localtime(timezone.now() - datetime.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M")
    card.locator("input[name=publish_at]").first.fill(published)
    shoot(staff, "upgrade-staff-admission-chain")
    card.get_by_role("button", name="投档").click()
    expect(staff.get_by_text("普通批本科投档完成：投档 1 人")).to_be_visible()
    expect(staff.locator("[data-batch=PT] [data-chain-shown]")).to_contain_text("总分 → 外语 → 专业综合课 → 随机码")

    page.goto("/upgrade/results/")
    result = page.locator("[data-result=PT]")
    expect(result).to_contain_text("已录取")
    expect(result).to_contain_text("西北师范大学 · 01 会计学")
    expect(result).to_contain_text("该专业投档线：总分 268.5，外语 88，专业综合课 130")

    # 西北师范大学 returns the candidate from its own account
    staff.get_by_role("button", name="安全退出").click()
    log_in(staff, solve_captcha, "/backoffice/login/", "walk-nwnu", "登录管理端")
    staff.get_by_role("link", name="专升本投档考生").click()
    expect(staff.locator("main")).to_contain_text("26620101130009")
    shoot(staff, "upgrade-college-results")
    staff.get_by_label("退档原因").fill("体检结论不符合专业要求")
    staff.get_by_role("button", name="退档").click()
    expect(staff.get_by_text("已退档，该考生的计划名额已释放")).to_be_visible()
    staff.context.close()

    page.reload()
    expect(result).to_contain_text("已退档")
    expect(result).to_contain_text("退档原因：体检结论不符合专业要求")
    shoot(page, "upgrade-results-rejected")


def test_supplementary_round_in_the_browser(page, live_server, world, solve_captcha, shoot):
    """征集志愿: after the main filing the candidate not admitted picks among the plans with places left
    (the full one is not offered), submits; the province sees the window and the count."""
    from kaowu.organization.models import StaffMember
    from kaowu.upgrade import admission_services, services
    from kaowu.upgrade.models import UpgradeRegistration, UpgradeScore

    candidate = world
    registration = services.registration_of(user=candidate.user)
    UpgradeRegistration.objects.filter(pk=registration.pk).update(
        category="01", paid_at=timezone.now(), qualification="not_required")
    UpgradeScore.objects.create(registration=registration, total=200, major_subject=100, foreign_language=60,
                                random_code=7)
    province = StaffMember.objects.get(user__username="walk-province")
    batch = AdmissionBatch.objects.get(code="PT")
    Plan.objects.filter(code="01").update(seats=0)  # 会计学 has no place left
    run = admission_services.admission_run(batch=batch, staff=province)
    now = timezone.now()
    admission_services.supplementary_open(run=run, staff=province, opens_at=now - datetime.timedelta(minutes=5),
                                          closes_at=now + datetime.timedelta(hours=3))

    log_in(page, solve_captcha, "/accounts/login/", candidate.user.id_number, "登录")
    page.goto("/upgrade/volunteers/")
    card = page.locator("[data-supplementary=PT]")
    expect(card).to_contain_text("未填报")
    card.get_by_role("link", name="填报征集志愿").click()
    expect(page.get_by_role("heading", name="普通批本科 · 征集志愿")).to_be_visible()
    expect(page.get_by_label("平行志愿A院校").locator("option")).to_have_count(2)  # 兰州财经大学 only
    page.get_by_label("平行志愿A院校").select_option(label="10741 兰州财经大学")
    page.get_by_label("平行志愿A专业").select_option(label="10741 兰州财经大学 · 06 财务管理（剩余3人）")
    shoot(page, "upgrade-supplementary-edit")
    page.get_by_role("button", name="确认提交").click()
    expect(page.get_by_text("普通批本科征集志愿已确认提交")).to_be_visible()
    expect(card).to_contain_text("已提交")
    expect(card).to_contain_text("06 财务管理")
    shoot(page, "upgrade-volunteers-supplementary")

    staff = staff_page(page, live_server)
    log_in(staff, solve_captcha, "/backoffice/login/", "walk-province", "登录管理端")
    staff.goto("/backoffice/upgrade/admission/")
    section = staff.locator("[data-batch=PT] [data-supplementary]")
    expect(section).to_contain_text("已开放")
    expect(section).to_contain_text("已填报 1 人")
    expect(section).to_contain_text("剩余计划 6 个名额")
    shoot(staff, "upgrade-staff-admission-supplementary")
    staff.context.close()
