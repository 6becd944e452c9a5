import re

import pytest
import time_machine
from django.utils import timezone

from kaowu.audit.models import AuditEvent
from kaowu.candidates.models import ExamNumber
from kaowu.filing.models import ExamNumberSequence, Filing
from kaowu.filing.services import FilingError, filing_review, filing_save
from kaowu.identity.models import Verification
from kaowu.organization.models import Office, Region
from kaowu.testing.factories import CandidateFactory, ExamNumberFactory, OfficeFactory, StaffMemberFactory


@pytest.fixture(autouse=True)
def filing_window(db):
    """基本信息填报 is open: from a day ago to a month ahead."""
    from datetime import timedelta

    from kaowu.catalog.models import BusinessWindow

    return BusinessWindow.objects.create(kind=BusinessWindow.Kind.FILING, starts_at=timezone.now() - timedelta(days=1),
                                         ends_at=timezone.now() + timedelta(days=30))


@pytest.fixture
def lanzhou_area(gansu):
    return OfficeFactory(kind=Office.Kind.EXAM_AREA, region=Region.objects.get(code="620100"), name="兰州市考区",
                         code="EA6201")


@pytest.fixture
def area_staff(lanzhou_area):
    return StaffMemberFactory(office=lanzhou_area)


@pytest.fixture
def verified(gansu):
    candidate = CandidateFactory()
    Verification.objects.create(user=candidate.user, kind="three_photos", status="passed")
    return candidate


def _data(area, **overrides):
    data = dict(exam_area=area, gender="女", nation="回族", political_status="共青团员", education="普通高中",
                occupation="学生", household_type="城镇", address="甘肃省兰州市城关区庆阳路1号", postcode="730030",
                work_unit="", notice_agreed_at=timezone.now())
    data.update(overrides)
    return data


def test_filing_needs_a_passed_identity_verification(gansu, lanzhou_area):
    candidate = CandidateFactory()
    with pytest.raises(FilingError, match="请先完成身份认证"):
        filing_save(candidate=candidate, data=_data(lanzhou_area), actor=candidate.user)


def test_a_candidate_with_an_exam_number_does_not_file_again(gansu, lanzhou_area):
    candidate = ExamNumberFactory().candidate
    Verification.objects.create(user=candidate.user, kind="two_photos", status="passed")
    with pytest.raises(FilingError, match="无需重新建档"):
        filing_save(candidate=candidate, data=_data(lanzhou_area), actor=candidate.user)


def test_approval_issues_an_exam_number_by_the_documented_rule(verified, lanzhou_area, area_staff):
    filing = filing_save(candidate=verified, data=_data(lanzhou_area), actor=verified.user)
    assert filing.status == Filing.Status.SUBMITTED
    with time_machine.travel("2027-03-05 10:00 +0800"):
        filing = filing_review(filing=filing, staff=area_staff, approve=True)
    # 01 (兰州) + 02 (城关区) + 2703 + sequence
    assert filing.exam_number.number == "010227030001"
    assert filing.exam_number.candidate == verified and filing.exam_number.exam_area == lanzhou_area
    assert AuditEvent.objects.filter(action="filing.reviewed").exists()


def test_numbers_are_never_reused_and_skip_numbers_already_held(gansu, lanzhou_area, area_staff):
    ExamNumberFactory(number="010227030001")  # e.g. imported from the old system
    numbers = []
    for _ in range(2):
        candidate = CandidateFactory()
        Verification.objects.create(user=candidate.user, kind="three_photos", status="passed")
        filing = filing_save(candidate=candidate, data=_data(lanzhou_area), actor=candidate.user)
        with time_machine.travel("2027-03-05 10:00 +0800"):
            numbers.append(filing_review(filing=filing, staff=area_staff, approve=True).exam_number.number)
    assert numbers == ["010227030002", "010227030003"]
    assert ExamNumberSequence.objects.get(prefix="01022703").last == 3


def test_rejection_needs_a_reason_and_the_candidate_can_resubmit(verified, lanzhou_area, area_staff):
    filing = filing_save(candidate=verified, data=_data(lanzhou_area), actor=verified.user)
    with pytest.raises(FilingError, match="请填写未通过原因"):
        filing_review(filing=filing, staff=area_staff, approve=False)
    filing = filing_review(filing=filing, staff=area_staff, approve=False, reason="通讯地址不完整")
    assert filing.status == Filing.Status.REJECTED and filing.exam_number is None
    filing = filing_save(candidate=verified, data=_data(lanzhou_area, address="甘肃省兰州市城关区庆阳路1号3单元"),
                         actor=verified.user)
    assert filing.status == Filing.Status.SUBMITTED and filing.rejection_reason == ""
    assert [h.to_status for h in filing.history.all()] == ["submitted", "rejected", "submitted"]


def test_an_approved_file_is_read_only(verified, lanzhou_area, area_staff):
    filing = filing_save(candidate=verified, data=_data(lanzhou_area), actor=verified.user)
    filing_review(filing=filing, staff=area_staff, approve=True)
    with pytest.raises(FilingError, match="只能查看"):
        filing_save(candidate=verified, data=_data(lanzhou_area), actor=verified.user)
    with pytest.raises(FilingError):
        filing_review(filing=filing, staff=area_staff, approve=True)


def test_another_exam_area_cannot_review(verified, lanzhou_area, gansu):
    tianshui = StaffMemberFactory(office=OfficeFactory(kind=Office.Kind.EXAM_AREA,
                                                       region=Region.objects.get(code="620500")))
    filing = filing_save(candidate=verified, data=_data(lanzhou_area), actor=verified.user)
    with pytest.raises(Filing.DoesNotExist):
        filing_review(filing=filing, staff=tianshui, approve=True)


def test_the_candidate_files_through_the_pages_and_the_exam_area_approves(client, verified, lanzhou_area, area_staff):
    client.force_login(verified.user)
    assert "开始填报" in client.get("/filing/").content.decode()
    assert "请阅读并勾选" in client.post("/filing/notice/", {}).content.decode()
    client.post("/filing/notice/", {"agree": "on"})
    form = {"exam_area": lanzhou_area.pk, "gender": "女", "nation": "汉族", "political_status": "群众",
            "education": "大学专科", "occupation": "专业技术人员", "household_type": "城镇",
            "address": "甘肃省兰州市城关区庆阳路1号", "postcode": "7300", "work_unit": ""}
    page = client.post("/filing/form/", form).content.decode()
    assert "邮编为6位数字" in page and "庆阳路1号" in page  # nothing typed is lost
    form["postcode"] = "730030"
    preview = client.post("/filing/form/", form, follow=True).content.decode()
    assert "信息预览" in preview and "大学专科" in preview
    page = client.post("/filing/preview/", follow=True).content.decode()
    assert "已提交，等待兰州市考区审核" in page

    client.force_login(area_staff.user)
    queue = client.get("/backoffice/filing/").content.decode()
    assert verified.user.real_name in queue
    filing = Filing.objects.get(candidate=verified)
    done = client.post(f"/backoffice/filing/{filing.pk}/", {"decision": "approve"}, follow=True).content.decode()
    assert re.search(r"已审核通过，准考证号 \d{12}", done)

    client.force_login(verified.user)
    page = client.get("/filing/").content.decode()
    assert "考区已审核通过" in page and ExamNumber.objects.get(candidate=verified).number in page


def test_a_closed_filing_window_refuses_even_a_posted_form(client, verified, lanzhou_area, filing_window):
    from datetime import timedelta

    filing_window.starts_at = timezone.now() - timedelta(days=30)
    filing_window.ends_at = timezone.now() - timedelta(days=1)
    filing_window.save()
    with pytest.raises(FilingError, match="基本信息填报时间为.*当前不在办理时间内"):
        filing_save(candidate=verified, data=_data(lanzhou_area), actor=verified.user)
    client.force_login(verified.user)
    session = client.session
    session["filing_draft"] = {"exam_area": str(lanzhou_area.pk), "gender": "女", "nation": "汉族",
                               "political_status": "群众", "education": "大学专科", "occupation": "学生",
                               "household_type": "城镇", "address": "甘肃省兰州市城关区庆阳路1号", "postcode": "730030",
                               "work_unit": ""}
    session.save()
    page = client.post("/filing/preview/", follow=True).content.decode()
    assert "当前不在办理时间内" in page
    assert not Filing.objects.filter(candidate=verified).exists()
