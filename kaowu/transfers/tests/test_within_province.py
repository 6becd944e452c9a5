"""省内转考 (seed 001): landing → form → preview → 提交; 转出地市考办 → 转入地市考办; detail and print."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kaowu.catalog.models import BusinessWindow, ExamSitting
from kaowu.catalog.windows import business_window
from kaowu.organization.models import Office, Region
from kaowu.testing.factories import CandidateFactory, ExamNumberFactory, OfficeFactory, StaffMemberFactory
from kaowu.testing.files import pdf_bytes
from kaowu.transfers.within import CODE
from kaowu.workflow import services
from kaowu.workflow.models import Application
from kaowu.workflow.services import WorkflowError
from kaowu.workflow.statuses import Status

Kind = BusinessWindow.Kind
PDF = pdf_bytes()


@pytest.fixture
def sitting(gansu):
    return ExamSitting.objects.create(code="2027-04", name="2027年4月", is_current=True)


def _window(kind, sitting, *, open_=True):
    now = timezone.now()
    start = now - datetime.timedelta(days=1) if open_ else now + datetime.timedelta(days=30)
    return BusinessWindow.objects.create(kind=kind, sitting=sitting, starts_at=start,
                                         ends_at=start + datetime.timedelta(days=14))


@pytest.fixture
def window(sitting):
    return _window(Kind.TRANSFER_WITHIN_PROVINCE, sitting)


@pytest.fixture
def offices(gansu):
    lanzhou, tianshui = Region.objects.get(code="620100"), Region.objects.get(code="620500")
    return {
        "lanzhou": OfficeFactory(kind=Office.Kind.CITY_OFFICE, code="C6201", name="兰州市教育考试院", region=lanzhou),
        "tianshui": OfficeFactory(kind=Office.Kind.CITY_OFFICE, code="C6205", name="天水市招生考试办公室",
                                  region=tianshui),
        "area": OfficeFactory(kind=Office.Kind.EXAM_AREA, code="EA6201", name="兰州市考区", region=lanzhou),
        "district": OfficeFactory(kind=Office.Kind.DISTRICT_OFFICE, code="D620102", name="城关区招生办",
                                  region=Region.objects.get(code="620102")),
    }


@pytest.fixture
def staff(offices):
    return {key: StaffMemberFactory(office=office) for key, office in offices.items()}


@pytest.fixture
def candidate(offices):
    candidate = CandidateFactory(district=Region.objects.get(code="620102"), user__real_name="张浩然")
    ExamNumberFactory(candidate=candidate, exam_area=offices["area"], number="010219100023")
    return candidate


def _apply(client, candidate, *, to_city="620500", proof=None):
    client.force_login(candidate.user)
    data = {"to_city": to_city, "reason": "工作调动至天水市", "agree": "on"}
    if proof is not None:
        data["proof"] = proof
    response = client.post(reverse("transfers:within_apply"), data)
    assert response.status_code == 302, response.content.decode()
    return Application.objects.get(candidate=candidate, type_code=CODE, status=Status.DRAFT)


def test_the_landing_page_shows_the_window_and_offers_the_application(client, candidate, window):
    client.force_login(candidate.user)
    page = client.get(reverse("transfers:within")).content.decode()
    assert "省内转考须知" in page and "进行中" in page
    assert reverse("transfers:within_apply") in page and "兰州市" in page


def test_outside_the_window_the_button_is_disabled_and_the_form_is_refused(client, candidate, sitting):
    _window(Kind.TRANSFER_WITHIN_PROVINCE, sitting, open_=False)
    client.force_login(candidate.user)
    page = client.get(reverse("transfers:within")).content.decode()
    assert "未开始" in page and "disabled" in page and reverse("transfers:within_apply") not in page
    response = client.get(reverse("transfers:within_apply"))
    assert response.status_code == 302 and response["Location"] == reverse("transfers:within")


def test_the_destination_is_another_city_of_the_province(client, candidate, window):
    client.force_login(candidate.user)
    page = client.get(reverse("transfers:within_apply")).content.decode()
    assert '<option value="620500">天水市</option>' in page
    assert 'value="620100"' not in page  # the candidate's own city
    assert 'value="630100"' not in page  # 西宁市 is in 青海省
    response = client.post(reverse("transfers:within_apply"), {"to_city": "620100", "reason": "工作调动", "agree": "on"})
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_form_preview_submit_and_the_two_city_offices_review(client, candidate, window, staff, offices, settings,
                                                            tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    application = _apply(client, candidate, proof=SimpleUploadedFile("工作证明.pdf", PDF))
    preview = client.get(reverse("transfers:within_preview", args=[application.number])).content.decode()
    assert "天水市" in preview and "工作证明.pdf" in preview and "提交申请" in preview
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("transfers:within_preview", args=[application.number]))
    assert response["Location"] == reverse("transfers:within_detail", args=[application.number])
    application.refresh_from_db()
    assert application.status == Status.REVIEWING and application.reviewing_office == offices["lanzhou"]
    assert application.data == {"from_city": "620100", "from_city_name": "兰州市", "to_city": "620500",
                                "to_city_name": "天水市", "reason": "工作调动至天水市"}

    application = services.application_approve(application=application, staff=staff["lanzhou"])
    assert application.reviewing_office == offices["tianshui"] and application.step_label == "转入地市考办审核"
    application = services.application_approve(application=application, staff=staff["tianshui"])
    assert application.status == Status.APPROVED
    # Recorded only: the candidate's 准考证号 stays with its exam area until the transfer is carried out.
    assert candidate.exam_numbers.get().exam_area == offices["area"]

    detail = client.get(reverse("transfers:within_detail", args=[application.number])).content.decode()
    for text in ("省内转考申请信息详情", "转出地市考办审核", "转入地市考办审核", "兰州市教育考试院",
                 "天水市招生考试办公室", "审核通过", "打印"):
        assert text in detail, text


def test_a_closed_window_refuses_the_submission_even_when_posted(client, candidate, window):
    application = _apply(client, candidate)
    BusinessWindow.objects.filter(pk=window.pk).update(ends_at=timezone.now() - datetime.timedelta(minutes=1))
    page = client.get(reverse("transfers:within_preview", args=[application.number])).content.decode()
    assert "不能提交" in page and "disabled" in page
    response = client.post(reverse("transfers:within_preview", args=[application.number]), follow=True)
    assert "当前不在办理时间内" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.DRAFT and application.reviewing_office is None


def test_the_general_transfer_window_counts_when_no_split_window_is_set(candidate, sitting, offices):
    area = offices["area"]
    def kind():
        return business_window(kind=Kind.TRANSFER_WITHIN_PROVINCE, sitting=sitting, exam_area=area).kind

    assert kind() == Kind.TRANSFER_WITHIN_PROVINCE
    _window(Kind.TRANSFER, sitting)
    assert kind() == Kind.TRANSFER
    # A province that splits the transfer windows but sets none for 省内转考 does not offer it.
    _window(Kind.TRANSFER_OUT, sitting)
    assert kind() == Kind.TRANSFER_WITHIN_PROVINCE


def test_submission_through_the_general_window(client, candidate, sitting, offices):
    _window(Kind.TRANSFER, sitting)
    application = _apply(client, candidate)
    services.application_submit(application=application, actor=candidate.user)
    application.refresh_from_db()
    assert application.status == Status.REVIEWING


def test_one_transfer_in_progress_at_a_time(client, candidate, window, offices):
    first = _apply(client, candidate)
    services.application_submit(application=first, actor=candidate.user)
    response = client.get(reverse("transfers:within_apply"))
    assert response["Location"] == reverse("transfers:within_detail", args=[first.number])
    # Even a second draft made around the page is refused at submission.
    second = services.application_save_draft(actor=candidate.user, data=first.data, type_code=CODE,
                                             candidate=candidate, exam_number=first.exam_number)
    with pytest.raises(WorkflowError, match="不能重复申请"):
        services.application_submit(application=second, actor=candidate.user)


def test_returned_application_is_edited_and_resubmitted(client, candidate, window, staff, offices):
    application = _apply(client, candidate)
    services.application_submit(application=application, actor=candidate.user)
    services.application_return(application=application, staff=staff["lanzhou"], reason="请上传工作证明")
    page = client.get(reverse("transfers:within_edit", args=[application.number])).content.decode()
    assert "请上传工作证明" in page and "工作调动至天水市" in page
    client.post(reverse("transfers:within_edit", args=[application.number]),
                {"to_city": "620500", "reason": "工作调动至天水市麦积区", "agree": "on"})
    client.post(reverse("transfers:within_preview", args=[application.number]))
    application.refresh_from_db()
    assert application.status == Status.REVIEWING and application.current_version.number == 2
    assert application.versions.get(number=1).data["reason"] == "工作调动至天水市"


def test_the_print_page(client, candidate, window, staff):
    application = _apply(client, candidate)
    services.application_submit(application=application, actor=candidate.user)
    services.application_approve(application=application, staff=staff["lanzhou"], comment="同意转出")
    page = client.get(reverse("transfers:within_print", args=[application.number])).content.decode()
    for text in (application.number, "张浩然", "010219100023", "兰州市", "天水市", "审核中（转入地市考办审核）",
                 "同意转出", "转出地市考办审核", "transfers/print.css"):
        assert text in page, text
    from django.contrib.staticfiles import finders

    assert "@media print" in open(finders.find("transfers/print.css"), encoding="utf-8").read()
    assert candidate.user.id_number not in page and candidate.user.id_number[-4:] in page


def test_another_candidate_cannot_see_the_pages(client, candidate, window, gansu):
    application = _apply(client, candidate)
    client.force_login(CandidateFactory().user)
    for name in ("within_detail", "within_edit", "within_preview", "within_print"):
        assert client.get(reverse(f"transfers:{name}", args=[application.number])).status_code == 404


def test_a_candidate_without_an_exam_number_is_told_so(client, gansu, window):
    candidate = CandidateFactory()
    client.force_login(candidate.user)
    assert "须使用在籍的准考证号" in client.get(reverse("transfers:within")).content.decode()
    assert client.get(reverse("transfers:within_apply")).status_code == 302


def test_the_personal_centre_tile_links_here_when_the_window_is_open(client, candidate, window):
    client.force_login(candidate.user)
    page = client.get(reverse("portal:candidate_home")).content.decode()
    assert f'href="{reverse("transfers:within")}"' in page
