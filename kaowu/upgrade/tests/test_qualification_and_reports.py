"""报考资格审核 (materials → 审核中 → 通过 / 不通过 with the reason) and 上报 (lock, province unlock),
through the pages a candidate and the staff use."""


import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kaowu.audit.models import AuditEvent
from kaowu.notifications.models import InboxMessage
from kaowu.organization.models import Office, Region
from kaowu.testing.factories import CandidateFactory, OfficeFactory, StaffMemberFactory
from kaowu.testing.files import pdf_bytes
from kaowu.upgrade import services
from kaowu.upgrade.models import DataReport, UpgradeRegistration

from .test_registration_steps import BASIC, RESUME, read_all

PDF = pdf_bytes()


@pytest.fixture
def point(gansu):
    return OfficeFactory(kind=Office.Kind.REGISTRATION_POINT, region=Region.objects.get(code="620102"),
                         name="兰州职业技术学院报名点")


@pytest.fixture
def paid_veteran(point):
    candidate = CandidateFactory(registration_point=point, user__exam_type="upgrade", user__real_name="赵军")
    registration = read_all(services.registration_of(user=candidate.user))
    services.basic_save(registration=registration, data={**BASIC, "candidate_type": "veteran", "award_claim": True},
                        resume=RESUME)
    services.basic_confirm(registration=registration)
    UpgradeRegistration.objects.filter(pk=registration.pk).update(paid_at=timezone.now())
    registration.refresh_from_db()
    return registration


def upload(client, kind, content=PDF, name="proof.pdf"):
    return client.post("/upgrade/documents/", {"action": f"upload:{kind}",
                                              f"file_{kind}": SimpleUploadedFile(name, content)})


def test_materials_then_review(client, paid_veteran, point, django_capture_on_commit_callbacks):
    client.force_login(paid_veteran.user)
    page = client.get("/upgrade/documents/").content.decode()
    assert "退役证或入伍批准书" in page and "获奖证书" in page and "建档立卡" not in page
    response = client.post("/upgrade/documents/", {"action": "submit"})
    assert response.status_code == 400 and "请上传：退役证或入伍批准书、获奖证书" in response.content.decode()
    response = upload(client, "veteran", b"GIF89a not a pdf", "x.pdf")
    assert response.status_code == 400 and "证明材料须为PDF、JPG或PNG文件" in response.content.decode()
    upload(client, "veteran")
    upload(client, "award")
    client.post("/upgrade/documents/", {"action": "submit"})
    paid_veteran.refresh_from_db()
    assert paid_veteran.qualification == UpgradeRegistration.Qualification.REVIEWING

    reviewer = StaffMemberFactory(office=point)
    client.force_login(reviewer.user)
    assert "赵*" in client.get("/backoffice/upgrade/").content.decode()
    document = client.get(f"/backoffice/upgrade/{paid_veteran.pk}/documents/veteran/")
    assert b"".join(document.streaming_content).startswith(b"%PDF")
    response = client.post(f"/backoffice/upgrade/{paid_veteran.pk}/", {"decision": "reject", "reason": ""})
    assert response.status_code == 400 and "请填写审核不通过的原因" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/backoffice/upgrade/{paid_veteran.pk}/", {"decision": "reject", "reason": "退役证照片不清晰"})
    paid_veteran.refresh_from_db()
    assert paid_veteran.qualification == UpgradeRegistration.Qualification.REJECTED
    assert InboxMessage.objects.filter(user=paid_veteran.user, title="专升本报考资格审核不通过").exists()

    client.force_login(paid_veteran.user)
    assert "退役证照片不清晰" in client.get("/upgrade/documents/").content.decode()
    upload(client, "veteran", PDF, "clear.pdf")
    client.post("/upgrade/documents/", {"action": "submit"})
    client.force_login(reviewer.user)
    client.post(f"/backoffice/upgrade/{paid_veteran.pk}/", {"decision": "approve"})
    paid_veteran.refresh_from_db()
    assert paid_veteran.qualification == UpgradeRegistration.Qualification.APPROVED
    assert AuditEvent.objects.filter(action="upgrade.qualification_decided").count() == 2


def test_other_points_do_not_see_the_candidate(client, paid_veteran, gansu):
    other = OfficeFactory(kind=Office.Kind.REGISTRATION_POINT, region=Region.objects.get(code="620103"))
    client.force_login(StaffMemberFactory(office=other).user)
    assert client.get(f"/backoffice/upgrade/{paid_veteran.pk}/").status_code == 404


def test_report_locks_and_the_province_unlocks(client, point, gansu):
    candidate = CandidateFactory(registration_point=point, user__exam_type="upgrade")
    registration = read_all(services.registration_of(user=candidate.user))
    client.force_login(StaffMemberFactory(office=point).user)
    client.post("/backoffice/upgrade/report/")
    assert DataReport.objects.filter(office=point, unlocked_at__isnull=True).exists()
    client.force_login(candidate.user)
    page = client.get("/upgrade/basic/").content.decode()
    assert "已上报数据" in page and 'disabled' in page
    province = OfficeFactory(kind=Office.Kind.PROVINCE_AUTHORITY, region=Region.objects.get(code="620000"))
    client.force_login(StaffMemberFactory(office=province).user)
    listing = client.get("/backoffice/upgrade/").content.decode()
    # the province's reports are listed, under the platform's own name (not the generic 考务平台)
    assert "已上报的单位" in listing and gansu.platform_name in listing
    report = DataReport.objects.get()
    client.post(f"/backoffice/upgrade/report/{report.pk}/unlock/")
    assert services.basic_editable_error(registration) is None


def test_forms_after_qualification(client, paid_veteran):
    import pypdf

    client.force_login(paid_veteran.user)
    assert "报考资格审核通过后才能下载表格" in client.get("/upgrade/forms/").content.decode()
    assert client.get("/upgrade/forms/registration.pdf").status_code == 302
    UpgradeRegistration.objects.filter(pk=paid_veteran.pk).update(qualification="approved")
    page = client.get("/upgrade/forms/").content.decode()
    assert "下载《报名信息登记表》" in page and "下载《录取加分登记表》" in page
    for key, words in [("registration", ["报名登记表", "赵军", "兰州职业技术学院"]), ("medical", ["体检表", "赵军"]),
                       ("bonus", ["录取加分登记表", "学校意见"])]:
        response = client.get(f"/upgrade/forms/{key}.pdf")
        assert response["Content-Type"] == "application/pdf" and b"/FontFile2" in response.content
        text = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
        for word in words:
            assert word in text, (key, word)
