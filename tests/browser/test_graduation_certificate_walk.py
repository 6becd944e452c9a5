"""毕业证明书申请 walked in the browser: a graduate applies from the 个人中心 tile, the province authority
approves it in 申请审核, the candidate downloads the 毕业证明书 (a PDF with the certificate number and the
verification address its QR code holds), and anyone — signed out — opens that address and reads that
the certificate is genuine; the province's 毕业统计 page draws its chart."""

import datetime
import io
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from walk_helpers import log_in, log_out

from kaowu.catalog.tests.factories import MajorFactory
from kaowu.graduation.models import Graduate
from kaowu.organization.models import Office, Region
from kaowu.testing.factories import (
    CandidateFactory,
    ExamNumberFactory,
    OfficeFactory,
    StaffMemberFactory,
    StaffUserFactory,
)

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("KAOWU_WALK_SHOTS", "/tmp/shots-gradcert"))


def snap(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{page.viewport_size['width']}.png"), full_page=True)


def test_a_graduate_gets_a_certificate_that_anyone_can_verify(page, gansu, solve_captcha):
    width = page.viewport_size["width"]
    lanzhou = Region.objects.get(code="620100")
    area = OfficeFactory(kind=Office.Kind.EXAM_AREA, region=lanzhou, name="兰州市考区", code="EA6201")
    province = OfficeFactory(kind=Office.Kind.PROVINCE_AUTHORITY, region=Region.objects.get(code="620000"),
                             name="甘肃省教育考试院", code="P62")
    StaffMemberFactory(office=province, user=StaffUserFactory(username="gs-cert-walk", real_name="李审核"))
    candidate = CandidateFactory(user__real_name="孙明远")
    ExamNumberFactory(candidate=candidate, exam_area=area, number="010216040088", major_name="行政管理")
    Graduate.objects.create(candidate=candidate, major=MajorFactory(code="120402", name="行政管理"),
                            certificate_number="107306202405000088", graduated_on=datetime.date(2024, 6, 30))

    # the graduate applies from the 个人中心 tile
    log_in(page, solve_captcha, "/accounts/login/", candidate.user.phone, "登录")
    page.goto("/me/")
    page.get_by_role("link", name=re.compile("毕业证明书申请")).click()
    expect(page.get_by_text("毕业证明书申请须知")).to_be_visible()
    expect(page.locator("[data-graduate='107306202405000088']")).to_contain_text("可申请")
    snap(page, "0-landing")
    page.get_by_role("link", name="申请毕业证明书").click()
    page.get_by_label("毕业证书遗失").check()
    page.locator("#id_reason_detail").fill("2026年搬家时遗失")
    page.locator("#id_address").fill("甘肃省兰州市城关区民主东路1号")
    page.get_by_label(re.compile("本人承诺所填信息真实准确")).check()
    snap(page, "1-form")
    page.get_by_role("button", name="下一步：预览").click()
    expect(page.get_by_text("107306202405000088").first).to_be_visible()
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text(re.compile("等待甘肃省教育考试院审核")).first).to_be_visible()
    log_out(page)

    # the province authority approves it
    log_in(page, solve_captcha, "/backoffice/login/", "gs-cert-walk", "登录管理端")
    page.get_by_role("link", name=re.compile("^申请审核")).first.click()
    page.get_by_role("link", name="审核", exact=True).first.click()
    expect(page.get_by_text("107306202405000088").first).to_be_visible()
    page.locator("form:has(input[name=action][value=approve])").get_by_role("button").click()
    expect(page.get_by_text("审核通过").first).to_be_visible()
    log_out(page)

    # the candidate downloads the certificate
    log_in(page, solve_captcha, "/accounts/login/", candidate.user.phone, "登录")
    page.goto("/graduation/certificate/")
    page.get_by_role("link", name="查看").first.click()
    number = page.locator("[data-certificate-number]").inner_text().strip()
    assert re.fullmatch(r"ZM\d{16}", number)
    snap(page, "2-detail")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载毕业证明书").click()
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"%PDF")
    (SHOTS / f"certificate-{width}.pdf").write_bytes(content)
    text = re.sub(r"\s", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages))
    assert number in text and "107306202405000088" in text and candidate.user.id_number in text
    verify_url = re.search(rf"HTTPS?://[^/]+/GZ/{number}-[A-Z2-7]{{16}}", text).group(0)

    # anyone, signed out, opens the address the QR code holds
    page.context.clear_cookies()
    page.goto(verify_url)
    expect(page.locator("[data-verify-result]")).to_have_attribute("data-verify-result", "genuine")
    expect(page.get_by_text("孙**")).to_be_visible()
    expect(page.get_by_text(number)).to_be_visible()
    snap(page, "3-verify")
    page.goto(verify_url[:-1] + ("A" if verify_url[-1] != "A" else "B"))
    expect(page.get_by_text("无法核验")).to_be_visible()
    snap(page, "4-verify-tampered")

    # the province's 毕业统计 draws its chart
    log_in(page, solve_captcha, "/backoffice/login/", "gs-cert-walk", "登录管理端")
    page.get_by_role("link", name="毕业统计").first.click()
    expect(page.locator("#stats-chart canvas")).to_be_visible()
    expect(page.locator("tr[data-major='120402'] td").last).to_have_text("1")
    snap(page, "5-statistics")
