"""上传照片: one slot per required photo, refusals with every reason, private photo URLs; the kind
of verification follows the account (三照 / 两照 / 专升本)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kaowu.accounts.models import User
from kaowu.identity import services
from kaowu.identity.models import Photo, Verification
from kaowu.testing.factories import CandidateFactory, ExamNumberFactory, StaffMemberFactory, UserFactory

from . import imagery


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _consenting(client, candidate):
    client.force_login(candidate.user)
    services.consent_give(user=candidate.user)
    return candidate


@pytest.fixture
def candidate(gansu, client):
    return _consenting(client, CandidateFactory(user__real_name="李梦瑶"))


def _file(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def _upload(client, kind: str, data: bytes, *, htmx: bool = True, name: str = "photo.jpg"):
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(f"/identity/photos/{kind}/", {"photo": _file(data, name)}, **extra)


@pytest.mark.parametrize(("account", "kind_label", "slots", "absent"), [
    ("new", "新考生“三照”认证", ["id_photo", "id_card_front", "handheld"], "id_card_back"),
    ("enrolled", "在籍考生“两照”认证", ["id_card_front", "handheld"], "id_photo"),
    ("upgrade", "专升本身份认证", ["id_photo", "id_card_front", "id_card_back"], "handheld"),
])
def test_the_photos_asked_for_follow_the_account(client, gansu, account, kind_label, slots, absent):
    exam_type = User.ExamType.UPGRADE if account == "upgrade" else User.ExamType.SELF_STUDY
    candidate = CandidateFactory(user=UserFactory(exam_type=exam_type))
    if account == "enrolled":
        ExamNumberFactory(candidate=candidate)
    _consenting(client, candidate)
    page = client.get("/identity/").content.decode()
    assert kind_label in page
    for kind in slots:
        assert f'id="slot-{kind}"' in page
    assert f'id="slot-{absent}"' not in page
    assert f"/identity/photos/{absent}/" not in page
    assert _upload(client, absent, imagery.jpeg(imagery.back_of_card())).status_code == 404


def test_a_non_image_is_refused_with_the_reason_and_the_other_photos_are_kept(client, candidate):
    assert "已上传并通过检查" in _upload(client, "id_card_front", imagery.id_card_front_jpeg("collins")).content.decode()

    response = _upload(client, "id_photo", imagery.TEXT_NAMED_JPG)

    slot = response.content.decode()
    assert 'id="slot-id_photo"' in slot and "照片未通过检查" in slot
    assert "证件照文件不是JPG或PNG图片，请重新拍照或选择照片上传" in slot
    page = client.get("/identity/").content.decode()
    card = Photo.objects.get(kind="id_card_front")
    assert f"/identity/photo/{card.token}/" in page
    assert not Photo.objects.filter(kind="id_photo").exists()


def test_every_failed_photo_rule_is_listed(client, candidate):
    slot = _upload(client, "id_photo", imagery.png(imagery.off_centre()), name="x.png").content.decode()
    assert "<li>人脸没有居于照片中间" in slot
    assert "<li>人脸距照片左边缘太近" in slot


def test_without_javascript_a_refusal_renders_the_whole_page_with_the_other_photos(client, candidate):
    _upload(client, "id_card_front", imagery.id_card_front_jpeg("collins"), htmx=False)
    response = _upload(client, "id_photo", imagery.PDF_BYTES, htmx=False, name="photo.pdf")
    page = response.content.decode()
    assert response.status_code == 200
    assert "证件照文件不是JPG或PNG图片" in page
    assert f"/identity/photo/{Photo.objects.get(kind='id_card_front').token}/" in page
    assert 'id="slot-handheld"' in page and 'id="history"' in page


def test_without_javascript_an_accepted_photo_redirects_back_to_its_slot(client, candidate):
    response = _upload(client, "id_photo", imagery.png(imagery.id_photo("collins")), htmx=False)
    assert response.status_code == 302 and response.url == "/identity/#slot-id_photo"


def test_an_upload_answer_updates_the_step_rail_and_the_submit_button(client, candidate):
    _upload(client, "id_photo", imagery.png(imagery.id_photo("collins")))
    _upload(client, "id_card_front", imagery.id_card_front_jpeg("collins"))
    answer = _upload(client, "handheld", imagery.jpeg(imagery.handheld("collins"), quality=80)).content.decode()
    assert 'id="identity-steps"' in answer and 'id="submit-panel"' in answer and 'hx-swap-oob="true"' in answer
    panel = answer.split('id="submit-panel"')[1]
    assert "照片已全部上传" in panel and "disabled" not in panel.split("</form>")[0]


def test_the_submit_button_is_disabled_until_every_photo_is_there(client, candidate):
    page = client.get("/identity/").content.decode()
    button = page.split('action="/identity/submit/"')[1].split("</button>")[0]
    assert "disabled" in button


def test_the_photo_is_served_privately_to_its_owner_only(client, candidate, gansu):
    _upload(client, "id_photo", imagery.png(imagery.id_photo("collins")))
    photo = Photo.objects.get()
    url = f"/identity/photo/{photo.token}/"

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"

    client.force_login(CandidateFactory().user)
    assert client.get(url).status_code == 404

    client.force_login(StaffMemberFactory().user)
    assert client.get(url).status_code == 302  # staff are sent to the back office, never shown the file

    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_photos_cannot_be_changed_while_the_comparison_runs(client, candidate):
    verification = services.verification_get(user=candidate.user, kind=Verification.Kind.THREE_PHOTOS)
    Verification.objects.filter(pk=verification.pk).update(status=Verification.Status.VERIFYING)
    page = client.get("/identity/").content.decode()
    assert 'type="file"' not in page
    slot = _upload(client, "id_photo", imagery.png(imagery.id_photo("collins"))).content.decode()
    assert "认证状态为“认证中”，不能更换照片" in slot
