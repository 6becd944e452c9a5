"""身份认证审核: the office's manual review queue — scoped to the office, masked, photos access-logged,
decisions audit-logged and shown to the candidate."""

import io

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from PIL import Image

from kaowu.audit.models import AuditEvent
from kaowu.core.masking import mask_id_number
from kaowu.identity import services
from kaowu.identity.models import ComparisonAttempt, Photo, StatusChange, Verification
from kaowu.organization.models import Office, Region, StaffMember
from kaowu.testing.factories import (
    CandidateFactory,
    ExamNumberFactory,
    OfficeFactory,
    StaffMemberFactory,
    UserFactory,
)

Status = Verification.Status


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _jpeg(colour) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), colour).save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def lanzhou_area(gansu):
    return OfficeFactory(kind=Office.Kind.EXAM_AREA, region=Region.objects.get(code="620100"), name="兰州市考区",
                         address="兰州市城关区东岗西路100号", phone="0931-8000001")


@pytest.fixture
def tianshui_area(gansu):
    return OfficeFactory(kind=Office.Kind.EXAM_AREA, region=Region.objects.get(code="620500"), name="天水市考区")


@pytest.fixture
def area_reviewer(lanzhou_area):
    return StaffMemberFactory(office=lanzhou_area, user__real_name="杨红梅")


def _awaiting_review(office: Office, *, name: str = "李梦瑶", exam_number: str | None = None,
                     district: str = "620102") -> Verification:
    """A “三照” verification after three failed automatic comparisons, sent to `office` (of the
    candidate's city) for review."""
    candidate = CandidateFactory(user=UserFactory(real_name=name), district=Region.objects.get(code=district))
    if exam_number:
        ExamNumberFactory(candidate=candidate, number=exam_number)
    services.consent_give(user=candidate.user)
    verification = Verification.objects.create(user=candidate.user, kind=Verification.Kind.THREE_PHOTOS,
                                                status=Status.FAILED, automatic_attempts=3,
                                                failure_reason="照片中的人像比对不一致")
    for kind, colour in zip(verification.required_photos, ("#4a8edb", "#ddd", "#c9b"), strict=True):
        photo = Photo(verification=verification, kind=kind, width=60, height=80, sha256="0" * 64)
        photo.file.save(f"{photo.token}.jpg", ContentFile(_jpeg(colour)), save=False)
        photo.save()
    for number in (1, 2, 3):
        ComparisonAttempt.objects.create(
            verification=verification, number=number, threshold=0.6, matched=False,
            distances={"id_photo~id_card_front": 0.7312, "id_photo~handheld": 0.4127},
            model_name="dlib_face_recognition_resnet_model_v1", model_version="v1-abc",
            message="照片中的人像比对不一致")
    return services.manual_review_request(verification=verification, office=office, actor=candidate.user)


def test_the_queue_lists_the_office_s_cases_with_masked_id_numbers(client, area_reviewer, lanzhou_area, tianshui_area):
    mine = _awaiting_review(lanzhou_area, exam_number="010219100023")
    _awaiting_review(tianshui_area, name="天水考生", district="620502")
    client.force_login(area_reviewer.user)
    page = client.get("/backoffice/identity/").content.decode()
    assert "李梦瑶" in page and "天水考生" not in page
    assert mine.user.id_number not in page and mask_id_number(mine.user.id_number) in page
    assert "010219100023" in page and "待人工审核" in page
    assert f"/backoffice/identity/{mine.pk}/" in page


def test_the_queue_searches_by_name_and_exam_number_and_has_status_tabs(client, area_reviewer, lanzhou_area):
    _awaiting_review(lanzhou_area, name="李梦瑶", exam_number="010219100023")
    _awaiting_review(lanzhou_area, name="张浩然")
    client.force_login(area_reviewer.user)
    assert "张浩然" not in client.post("/backoffice/identity/", {"q": "梦瑶"}, follow=True).content.decode()
    response = client.post("/backoffice/identity/", {"q": "010219100023", "status": "manual_review"}, follow=True)
    page = response.content.decode()
    assert "李梦瑶" in page and "张浩然" not in page
    assert "010219100023" not in response.redirect_chain[-1][0]  # the typed text stays out of the URL
    assert "暂无记录" in client.get("/backoffice/identity/", {"status": "passed"}).content.decode()


def test_a_full_id_number_search_never_reaches_the_url(client, area_reviewer, lanzhou_area):
    verification = _awaiting_review(lanzhou_area)
    client.force_login(area_reviewer.user)
    response = client.post("/backoffice/identity/", {"q": verification.user.id_number}, follow=True)
    url = response.redirect_chain[-1][0]
    assert verification.user.id_number not in url and "s=" in url
    page = response.content.decode()
    assert "李梦瑶" in page and verification.user.id_number not in page.split("<table")[1]


def test_the_detail_shows_the_photos_side_by_side_and_every_comparison(client, area_reviewer, lanzhou_area):
    verification = _awaiting_review(lanzhou_area)
    client.force_login(area_reviewer.user)
    page = client.get(f"/backoffice/identity/{verification.pk}/").content.decode()
    photos = list(Photo.objects.filter(verification=verification))
    assert len(photos) == len(verification.required_photos) == 3
    for photo in photos:
        assert f"/backoffice/identity/photo/{photo.token}/" in page
        assert f"/identity/photo/{photo.token}/" not in page.replace("/backoffice/identity/photo/", "")
    assert "证件照 ↔ 身份证人像面" in page and "0.7312" in page and "0.4127" in page
    assert "第 3 次" in page and "0.60" in page and "dlib_face_recognition_resnet_model_v1" in page
    assert "申请兰州市考区人工审核" in page  # the history
    assert verification.user.id_number not in page


def test_opening_a_photo_is_logged_and_never_cached(client, area_reviewer, lanzhou_area):
    verification = _awaiting_review(lanzhou_area)
    photo = verification.photos.get(kind="handheld")
    client.force_login(area_reviewer.user)
    response = client.get(f"/backoffice/identity/photo/{photo.token}/")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    event = AuditEvent.objects.get(action="pii.view", actor=area_reviewer.user)
    assert event.detail == {"fields": ["photo:handheld"]}


def test_approving_passes_the_verification_and_is_audited(client, area_reviewer, lanzhou_area):
    verification = _awaiting_review(lanzhou_area)
    client.force_login(area_reviewer.user)
    response = client.post(f"/backoffice/identity/{verification.pk}/", {"decision": "pass"}, follow=True)
    assert "已审核通过：李梦瑶" in response.content.decode()
    verification.refresh_from_db()
    assert verification.status == Status.PASSED and verification.reviewed_by == area_reviewer.user
    assert AuditEvent.objects.filter(action="identity.reviewed", actor=area_reviewer.user,
                                     detail__decision="pass").exists()

    candidate = Client()
    candidate.force_login(verification.user)
    page = candidate.get("/identity/").content.decode()
    assert "身份认证已通过" in page and "经兰州市考区人工审核通过" in page


def test_refusing_needs_a_reason_which_the_candidate_then_reads(client, area_reviewer, lanzhou_area):
    verification = _awaiting_review(lanzhou_area)
    client.force_login(area_reviewer.user)
    page = client.post(f"/backoffice/identity/{verification.pk}/", {"decision": "fail", "reason": " "}).content.decode()
    assert "请填写不通过原因" in page
    verification.refresh_from_db()
    assert verification.status == Status.MANUAL_REVIEW

    client.post(f"/backoffice/identity/{verification.pk}/", {"decision": "fail", "reason": "手持照中的证件不是本人证件"})
    verification.refresh_from_db()
    assert verification.status == Status.FAILED
    change = StatusChange.objects.filter(verification=verification).last()
    assert change.actor == area_reviewer.user and "手持照中的证件不是本人证件" in change.comment

    candidate = Client()
    candidate.force_login(verification.user)
    page = candidate.get("/identity/").content.decode()
    assert "未通过原因：</strong>手持照中的证件不是本人证件" in page


def test_a_decided_case_cannot_be_decided_again(client, area_reviewer, lanzhou_area):
    verification = _awaiting_review(lanzhou_area)
    client.force_login(area_reviewer.user)
    client.post(f"/backoffice/identity/{verification.pk}/", {"decision": "pass"})
    response = client.post(f"/backoffice/identity/{verification.pk}/", {"decision": "fail", "reason": "x"}, follow=True)
    assert "不能审核" in response.content.decode()
    verification.refresh_from_db()
    assert verification.status == Status.PASSED


def test_staff_of_another_office_get_404_for_the_case_and_its_photos(client, lanzhou_area, tianshui_area):
    verification = _awaiting_review(lanzhou_area)
    photo = verification.photos.first()
    client.force_login(StaffMemberFactory(office=tianshui_area).user)
    assert client.get(f"/backoffice/identity/{verification.pk}/").status_code == 404
    assert client.post(f"/backoffice/identity/{verification.pk}/", {"decision": "pass"}).status_code == 404
    assert client.get(f"/backoffice/identity/photo/{photo.token}/").status_code == 404
    verification.refresh_from_db()
    assert verification.status == Status.MANUAL_REVIEW
    assert not AuditEvent.objects.filter(action="pii.view").exists()


def test_a_candidate_cannot_open_the_staff_photo_url(client, lanzhou_area):
    verification = _awaiting_review(lanzhou_area)
    photo = verification.photos.first()
    client.force_login(verification.user)
    response = client.get(f"/backoffice/identity/photo/{photo.token}/")
    assert response.status_code == 302 and response.url.startswith("/backoffice/login/")


def test_the_province_sees_every_office_s_cases(client, gansu, lanzhou_area, tianshui_area):
    _awaiting_review(lanzhou_area)
    _awaiting_review(tianshui_area, name="天水考生", district="620502")
    province = OfficeFactory(kind=Office.Kind.PROVINCE_AUTHORITY, region=Region.objects.get(code="620000"))
    client.force_login(StaffMemberFactory(office=province, role=StaffMember.Role.REVIEWER).user)
    page = client.get("/backoffice/identity/").content.decode()
    assert "李梦瑶" in page and "天水考生" in page and "审核机构" in page


def test_the_workbench_and_the_side_nav_count_the_cases_awaiting_review(client, area_reviewer, lanzhou_area):
    _awaiting_review(lanzhou_area)
    _awaiting_review(lanzhou_area, name="张浩然")
    client.force_login(area_reviewer.user)
    home = client.get("/backoffice/").content.decode()
    tile = home.split("待人工审核</div>")[1].split("</a>")[0]
    assert '<div class="stat stat--warning">2</div>' in tile
    assert 'title="待人工审核">2</span>' in home  # side nav
    candidates = client.get("/backoffice/candidates/").content.decode()
    assert 'title="待人工审核">2</span>' in candidates  # every back-office page shows it
