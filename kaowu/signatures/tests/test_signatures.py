"""扫码签字: single use, expiry, ink required, bound to the exact content and version signed."""

import base64
import io
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from PIL import Image, ImageDraw

from kaowu.signatures.models import SignatureRequest
from kaowu.signatures.services import (
    SignatureError,
    signature_request_create,
    signature_request_open,
    signature_request_renew,
    signature_submit,
    signature_valid_for,
)
from kaowu.testing.factories import UserFactory

CONTENT = "考籍转出申请\n转入省份：青海省\n转出课程：00015 英语（二） 72分"


def drawing(*, ink: bool = True, size=(600, 220)) -> str:
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    if ink:
        ImageDraw.Draw(image).line([(40, 150), (120, 60), (200, 160), (300, 70), (420, 150)], fill=(17, 24, 39, 255),
                                   width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


@pytest.fixture
def user(db):
    return UserFactory(real_name="王晓燕")


def new(user, content=CONTENT, version=1):
    return signature_request_create(user=user, purpose="考籍转出申请", subject="transfers.TransferOut:7",
                                    version=version, content=content, return_url="/transfers/out/7/")


def test_signing_binds_the_signature_to_the_content_and_version(user):
    request = new(user)
    assert signature_valid_for(subject="transfers.TransferOut:7", version=1, content=CONTENT) is None
    signed = signature_submit(token=request.token, image_data_url=drawing(), ip="10.0.0.8", agent="iPhone")
    assert signed.status == SignatureRequest.Status.SIGNED and signed.image.name.endswith(".png")
    assert signature_valid_for(subject="transfers.TransferOut:7", version=1, content=CONTENT) == signed
    # A changed application (other content, or the next version) is not signed.
    assert signature_valid_for(subject="transfers.TransferOut:7", version=1, content=CONTENT + "改") is None
    assert signature_valid_for(subject="transfers.TransferOut:7", version=2, content=CONTENT) is None


def test_a_code_signs_once(user):
    request = new(user)
    signature_submit(token=request.token, image_data_url=drawing())
    with pytest.raises(SignatureError, match="已完成签名，不能重复使用"):
        signature_submit(token=request.token, image_data_url=drawing())
    with pytest.raises(SignatureError, match="已完成签名"):
        signature_request_open(token=request.token)


def test_a_code_expires(user):
    request = new(user)
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        with pytest.raises(SignatureError, match="二维码已过期"):
            signature_request_open(token=request.token)
        renewed = signature_request_renew(request=request)
        assert renewed.digest == request.digest and renewed.token != request.token
        signature_submit(token=renewed.token, image_data_url=drawing())
    assert signature_valid_for(subject="transfers.TransferOut:7", version=1, content=CONTENT) is not None


def test_only_the_newest_code_works(user):
    first, second = new(user), new(user)
    with pytest.raises(SignatureError, match="已作废"):
        signature_submit(token=first.token, image_data_url=drawing())
    signature_submit(token=second.token, image_data_url=drawing())


@pytest.mark.parametrize("data, message", [
    ("", "请先在签名区域手写签名"),
    ("data:image/png;base64,not-base64!!", "签名图片无效"),
    ("data:image/png;base64," + base64.b64encode(b"GIF89a....").decode(), "签名图片无效"),
])
def test_bad_images_are_refused(user, data, message):
    request = new(user)
    with pytest.raises(SignatureError, match=message):
        signature_submit(token=request.token, image_data_url=data)
    request.refresh_from_db()
    assert request.status == SignatureRequest.Status.PENDING


def test_a_blank_canvas_is_not_a_signature(user):
    request = new(user)
    with pytest.raises(SignatureError, match="未检测到签名笔迹"):
        signature_submit(token=request.token, image_data_url=drawing(ink=False))


def test_unknown_token(db):
    with pytest.raises(SignatureError, match="二维码无效"):
        signature_request_open(token="nope")


def test_pages(client, user):
    request = new(user)
    assert client.get(f"/signatures/{request.token}/").status_code == 302  # login first
    client.force_login(user)
    page = client.get(f"/signatures/{request.token}/").content.decode()
    assert "<svg" in page and "等待手机扫码" in page and f"/sign/{request.token}/" in page
    other = UserFactory()
    client.force_login(other)
    assert client.get(f"/signatures/{request.token}/").status_code == 404
    # the phone: no login, the token is the key
    client.logout()
    phone = client.get(f"/sign/{request.token}/")
    assert phone.status_code == 200 and "王**，请核对以下内容" in phone.content.decode()
    assert "转入省份：青海省" in phone.content.decode()
    response = client.post(f"/sign/{request.token}/", {"signature": drawing(ink=False)})
    assert response.status_code == 400 and "未检测到签名笔迹" in response.content.decode()
    response = client.post(f"/sign/{request.token}/", {"signature": drawing()})
    assert "签名成功" in response.content.decode()
    assert client.get(f"/sign/{request.token}/").status_code == 410
    client.force_login(user)
    status = client.get(f"/signatures/{request.token}/status/")
    assert status.status_code == 204 and status["HX-Redirect"] == "/transfers/out/7/"
    assert client.get(f"/signatures/{request.token}/")["Location"] == "/transfers/out/7/"
    image = client.get(f"/signatures/{request.token}/image.png")
    assert image["Content-Type"] == "image/png"
