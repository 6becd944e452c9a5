"""阅读告知: a separate, explicit consent before any photo is uploaded; withdrawing it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kaowu.audit.models import AuditEvent
from kaowu.identity.models import BiometricConsent, Photo
from kaowu.testing.factories import CandidateFactory

from . import imagery


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def candidate(gansu, client):
    candidate = CandidateFactory(user__real_name="李梦瑶")
    client.force_login(candidate.user)
    return candidate


def _card_upload():
    return SimpleUploadedFile("card.jpg", imagery.id_card_front_jpeg("collins"), content_type="image/jpeg")


def test_the_identity_page_asks_for_consent_before_showing_any_upload(client, candidate):
    page = client.get("/identity/").content.decode()
    assert "阅读告知书" in page and "/identity/consent/" in page
    assert 'type="file"' not in page


def test_the_consent_page_says_what_why_how_how_long_and_the_rights_with_an_unchecked_box(client, candidate, settings):
    settings.KAOWU_IDENTITY_PHOTO_RETENTION_DAYS = 45
    page = client.get("/identity/consent/").content.decode()
    for words in ("人脸特征值", "确认上传照片中的人是本账号的持有人本人", "离线完成", "不使用任何第三方",
                  "随您的考籍档案保存", "45 天后删除", "人脸特征值不保存", "撤回同意", "自动比对累计 3 次未通过后",
                  "同意并继续"):
        assert words in page, words
    assert 'type="checkbox" name="agree"' in page
    assert "checked" not in page.split('name="agree"')[1].split(">")[0]


def test_consent_is_not_given_without_ticking_the_box(client, candidate):
    response = client.post("/identity/consent/", {})
    assert response.status_code == 200
    assert "请阅读告知书并勾选“同意”后继续" in response.content.decode()
    assert not BiometricConsent.objects.filter(user=candidate.user).exists()


def test_an_upload_before_consent_is_refused_with_the_reason(client, candidate):
    response = client.post("/identity/photos/id_card_front/", {"photo": _card_upload()}, HTTP_HX_REQUEST="true")
    assert "请先阅读并同意《人脸信息处理告知书》" in response.content.decode()
    assert not Photo.objects.exists()


def test_after_consenting_the_candidate_uploads_photos(client, candidate):
    response = client.post("/identity/consent/", {"agree": "on"})
    assert response.status_code == 302 and response.url == "/identity/#photos"
    consent = BiometricConsent.objects.get(user=candidate.user)
    assert consent.withdrawn_at is None
    assert AuditEvent.objects.filter(action="identity.consent", actor=candidate.user).exists()
    page = client.get("/identity/").content.decode()
    assert 'type="file"' in page and "撤回同意" in page

    response = client.post("/identity/photos/id_card_front/", {"photo": _card_upload()}, HTTP_HX_REQUEST="true")
    assert "身份证人像面已上传并通过检查" in response.content.decode()


def test_withdrawing_consent_deletes_the_photos_and_asks_for_consent_again(client, candidate):
    client.post("/identity/consent/", {"agree": "on"})
    client.post("/identity/photos/id_card_front/", {"photo": _card_upload()})
    photo = Photo.objects.get()

    confirm = client.get("/identity/consent/withdraw/").content.decode()
    assert "立即删除" in confirm and "确认撤回" in confirm
    response = client.post("/identity/consent/withdraw/", follow=True)

    page = response.content.decode()
    assert "您已撤回同意" in page
    assert "阅读告知书" in page and 'type="file"' not in page
    photo.refresh_from_db()
    assert photo.deleted_at is not None and not photo.file
    assert client.get(f"/identity/photo/{photo.token}/").status_code == 404
    assert AuditEvent.objects.filter(action="identity.consent_withdrawn", actor=candidate.user).exists()
