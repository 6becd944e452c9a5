"""Identity verification walked in the browser: three failed comparisons, the candidate asks the exam
area for an in-person review, the exam area's reviewer approves, the candidate sees 已通过."""

import re

import pytest
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

pytestmark = pytest.mark.browser


@pytest.fixture
def photo_files(tmp_path):
    """The candidate's own 证件照 (Collins) but ID-card and handheld photos of someone else (Hopper):
    the comparison can never pass, as when a candidate uploads the wrong pictures."""
    files = {
        "id_photo": imagery.jpeg(imagery.id_photo("collins")),
        "id_card_front": imagery.jpeg(imagery.id_card_front("hopper")),
        "handheld": imagery.jpeg(imagery.handheld("hopper")),
    }
    paths = {}
    for kind, content in files.items():
        paths[kind] = tmp_path / f"{kind}.jpg"
        paths[kind].write_bytes(content)
    return paths


def test_three_failures_then_in_person_review_at_the_exam_area(desktop_page, gansu, solve_captcha, photo_files,
                                                               shoot):
    page = desktop_page
    area = OfficeFactory(kind=Office.Kind.EXAM_AREA, region=Region.objects.get(code="620100"), name="兰州市考区",
                         address="兰州市城关区考试路1号", phone="0931-8000001")
    StaffMemberFactory(office=area, user=StaffUserFactory(username="lz-area-walk", real_name="杨审核"))
    candidate = CandidateFactory()

    log_in(page, solve_captcha, "/accounts/login/", candidate.user.phone, "登录")
    expect(page.get_by_role("heading", name="个人中心")).to_be_visible()
    page.locator("#identity-card").get_by_role("link", name="去认证").click()

    # Consent comes first, separately and explicitly.
    page.get_by_role("link", name="阅读告知书").click()
    expect(page.get_by_role("heading", name="人脸信息处理告知书")).to_be_visible()
    page.get_by_label(re.compile("我已阅读并同意《人脸信息处理告知书》")).check()
    page.get_by_role("button", name="同意并继续").click()

    # 证件照 through the crop frame, the two ID photos directly.
    page.locator("#id_id_photo_photo").set_input_files(photo_files["id_photo"])
    page.get_by_role("button", name="上传此照片").click()
    expect(page.locator("#slot-id_photo")).to_contain_text("已上传并通过检查")
    for kind in ("id_card_front", "handheld"):
        page.locator(f"#id_{kind}_photo").set_input_files(photo_files[kind])
        page.locator(f"#slot-{kind}").get_by_role("button", name="上传").click()
        expect(page.locator(f"#slot-{kind}")).to_contain_text("已上传并通过检查")
    shoot(page, "identity-photos")

    for attempt in (1, 2, 3):
        page.get_by_role("button", name="提交验证").click()
        expect(page.get_by_text("未通过").first).to_be_visible(timeout=20000)
        expect(page.get_by_text("照片中的人像比对不一致").first).to_be_visible()
        counted = f"已自动比对 {attempt} 次" if attempt < 3 else "自动比对已累计 3 次未通过"
        expect(page.get_by_text(counted).first).to_be_visible()

    # After three failures the candidate may ask for an in-person review.
    page.get_by_label(re.compile("兰州市考区")).check()
    page.get_by_role("button", name="申请人工审核").click()
    expect(page.get_by_text("待人工审核").first).to_be_visible()
    expect(page.get_by_text("兰州市城关区考试路1号")).to_be_visible()
    shoot(page, "identity-manual-review")
    page.get_by_role("button", name="安全退出").click()

    # The exam area's reviewer sees the photos side by side with the distances, and approves.
    log_in(page, solve_captcha, "/backoffice/login/", "lz-area-walk", "登录管理端")
    page.get_by_role("link", name=re.compile("身份认证审核")).first.click()
    page.get_by_role("link", name=re.compile(candidate.user.real_name)).first.click()
    expect(page.get_by_text("第 3 次")).to_be_visible()
    expect(page.locator("img[alt=证件照]")).to_be_visible()
    page.get_by_label(re.compile("通过：照片与考生本人")).check()
    shoot(page, "identity-review")
    page.get_by_role("button", name="提交审核结果").click()
    expect(page.get_by_text("已通过").first).to_be_visible()
    page.get_by_role("button", name="安全退出").click()

    # The candidate sees the result and its history.
    log_in(page, solve_captcha, "/accounts/login/", candidate.user.phone, "登录")
    expect(page.locator("#identity-card")).to_contain_text("已通过")
    page.goto("/identity/")
    expect(page.get_by_text("人工审核通过").first).to_be_visible()
