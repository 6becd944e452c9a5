"""提交验证 → 认证结果, with the real offline face comparison: the same person passes, two people
fail; three failures offer the manual review at an office, whose staff decide; every status change
shows on the candidate's page."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kaowu.identity import services
from kaowu.identity.models import ComparisonAttempt, StatusChange, Verification
from kaowu.organization.models import Office, Region
from kaowu.testing.factories import CandidateFactory, OfficeFactory, StaffMemberFactory

from . import imagery

Status = Verification.Status


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def candidate(gansu, client):
    candidate = CandidateFactory(user__real_name="李梦瑶")  # 兰州市城关区, no 准考证号: “三照”
    client.force_login(candidate.user)
    services.consent_give(user=candidate.user)
    return candidate


@pytest.fixture
def lanzhou_area(gansu):
    return OfficeFactory(kind=Office.Kind.EXAM_AREA, region=Region.objects.get(code="620100"), name="兰州市考区",
                         address="兰州市城关区东岗西路100号", phone="0931-8000001")


def _upload(client, kind: str, data: bytes) -> str:
    return client.post(f"/identity/photos/{kind}/", {"photo": SimpleUploadedFile("p.jpg", data)},
                       HTTP_HX_REQUEST="true").content.decode()


def _upload_three(client, *, card_of: str = "collins") -> None:
    """证件照 and 手持 of Collins; the ID card of `card_of` (Hopper: a different person)."""
    for kind, data in (("id_photo", imagery.png(imagery.id_photo("collins"))),
                       ("id_card_front", imagery.id_card_front_jpeg(card_of)),
                       ("handheld", imagery.jpeg(imagery.handheld("collins"), quality=80))):
        assert "已上传并通过检查" in _upload(client, kind, data), kind


def _submit(client, capture) -> str:
    """提交验证; the comparison job runs once the request's transaction commits (as a worker would)."""
    with capture(execute=True):
        assert client.post("/identity/submit/").status_code == 302
    return client.get("/identity/").content.decode()


def _status_badge(page: str) -> str:
    card = page.split('id="identity-status"')[1]
    return re.search(r'class="badge badge--(\w+)">([^<]+)<', card).groups()


def test_the_same_person_passes(client, candidate, django_capture_on_commit_callbacks):
    _upload_three(client)
    page = _submit(client, django_capture_on_commit_callbacks)
    assert _status_badge(page) == ("success", "已通过")
    assert "身份认证已通过" in page
    attempt = ComparisonAttempt.objects.get()
    assert attempt.matched and all(d < attempt.threshold for d in attempt.distances.values())
    assert 'type="file"' not in page  # passed: the photos are shown, no longer changed


def test_different_people_fail_with_the_reason_and_can_upload_again(client, candidate,
                                                                   django_capture_on_commit_callbacks):
    _upload_three(client, card_of="hopper")
    page = _submit(client, django_capture_on_commit_callbacks)
    assert _status_badge(page) == ("danger", "未通过")
    assert "照片中的人像比对不一致" in page
    assert "重新上传照片" in page and 'type="file"' in page
    assert "再有 2 次未通过" in page
    assert not ComparisonAttempt.objects.get().matched


def test_while_verifying_the_page_polls_until_there_is_a_result(client, candidate):
    verification = services.verification_get(user=candidate.user, kind=Verification.Kind.THREE_PHOTOS)
    Verification.objects.filter(pk=verification.pk).update(status=Status.VERIFYING)

    page = client.get("/identity/").content.decode()
    assert _status_badge(page) == ("info", "认证中")
    assert 'hx-get="/identity/status/" hx-trigger="every 2s"' in page
    poll = client.get("/identity/status/", HTTP_HX_REQUEST="true")
    assert poll.status_code == 200 and "every 2s" in poll.content.decode()

    Verification.objects.filter(pk=verification.pk).update(status=Status.PASSED)
    poll = client.get("/identity/status/", HTTP_HX_REQUEST="true")
    assert poll.status_code == 204 and poll["HX-Redirect"] == "/identity/"


def test_three_failures_then_manual_review_then_the_office_approves(client, candidate, lanzhou_area,
                                                                  django_capture_on_commit_callbacks):
    other_area = OfficeFactory(kind=Office.Kind.EXAM_AREA, region=Region.objects.get(code="620500"), name="天水市考区")
    _upload_three(client, card_of="hopper")
    for attempt in (1, 2, 3):
        page = _submit(client, django_capture_on_commit_callbacks)
        assert _status_badge(page) == ("danger", "未通过"), attempt

    # The choice: continue uploading, or an in-person review at an office of the candidate's city.
    assert "继续上传" in page and "到考区/报名点人工审核" in page
    assert "兰州市考区" in page and "兰州市城关区东岗西路100号" in page and "0931-8000001" in page
    assert "天水市考区" not in page
    assert 'type="file"' not in page  # the uploads come back once 继续上传 is chosen
    assert 'type="file"' in client.get("/identity/?retry=1").content.decode()

    refused = client.post("/identity/manual-review/", {"office": other_area.pk}, follow=True).content.decode()
    assert "请选择所在地市的考区或报名点" in refused

    page = client.post("/identity/manual-review/", {"office": lanzhou_area.pk}, follow=True).content.decode()
    assert _status_badge(page) == ("warning", "待人工审核")
    assert "本人有效身份证件" in page and "兰州市考区" in page and "兰州市城关区东岗西路100号" in page

    # The exam area's reviewer sees the case and approves it.
    staff = Client()
    staff.force_login(StaffMemberFactory(office=lanzhou_area).user)
    verification = Verification.objects.get(user=candidate.user)
    assert "李梦瑶" in staff.get("/backoffice/identity/").content.decode()
    response = staff.post(f"/backoffice/identity/{verification.pk}/", {"decision": "pass"})
    assert response.status_code == 302

    page = client.get("/identity/").content.decode()
    assert _status_badge(page) == ("success", "已通过")
    assert "经兰州市考区人工审核通过" in page

    # Every status change is on the candidate's page, newest first.
    history = page.split('id="history"')[1]
    changes = StatusChange.objects.filter(verification=verification)
    assert changes.count() == 8  # 3 × (认证中, 未通过), 待人工审核, 已通过
    assert history.count('class="timeline__item') == changes.count()
    labels = re.findall(r'class="badge badge--\w+">([^<]+)<', history)
    assert labels == ["已通过", "待人工审核", "未通过", "认证中", "未通过", "认证中", "未通过", "认证中"]
    assert "人工审核通过" in history and "申请兰州市考区人工审核" in history
    assert "审核人员（兰州市考区）" in history


def test_the_candidate_home_shows_the_status_and_the_next_step(client, candidate, lanzhou_area):
    home = client.get("/me/").content.decode()
    assert 'id="identity-card"' in home and "未认证" in home and "去认证" in home and "/identity/" in home

    verification = services.verification_get(user=candidate.user, kind=Verification.Kind.THREE_PHOTOS)
    Verification.objects.filter(pk=verification.pk).update(status=Status.MANUAL_REVIEW, review_office=lanzhou_area)
    home = client.get("/me/").content.decode()
    card = home.split('id="identity-card"')[1].split("</section>")[0]
    assert "badge--warning" in card and "待人工审核" in card and "兰州市考区" in card and "本人有效身份证件" in card
