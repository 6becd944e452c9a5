"""人脸识别申诉 with the development provider (支付宝人脸核验): pass → the new phone is bound at once;
fail → no change, the way to 材料辅助申诉; the QR code expires on the server; attempts per day."""

import datetime

import pytest
from django.utils import timezone

from kaowu.appeals import services
from kaowu.appeals.facecheck import FaceCheckError, face_check_provider
from kaowu.appeals.models import FaceCheck
from kaowu.audit.models import AuditEvent
from kaowu.notifications.models import DevInboxMessage

from .helpers import identify, send_code

NEW_PHONE = "13912345600"


def scan(check, *, passed=True):
    face_check_provider().decide(check.session_id, passed=passed)


def test_a_passed_face_check_binds_the_new_phone(client, captcha_solver, sms_inbox, candidate):
    user = candidate.user
    old_phone, old_stamp = user.phone, user.security_stamp
    identify(client, captcha_solver, user)
    page = client.get("/appeals/face/").content.decode()
    assert "获取人脸识别二维码" in page
    panel = client.post("/appeals/face/start/").content.decode()
    assert "<svg" in panel and "二维码有效期" in panel and 'data-seconds-left="60"' in panel
    check = FaceCheck.objects.get(user=user)
    # the QR code opens the dev 支付宝人脸核验 page; the tester chooses 核验通过
    phone_page = client.get(check.qr_url).content.decode()
    assert "支付宝人脸核验" in phone_page and "核验通过" in phone_page
    client.post(check.qr_url, {"action": "pass"})
    assert "人脸识别已通过" in client.get("/appeals/face/status/").content.decode()

    assert "验证码已发送" in send_code(client, captcha_solver, "/appeals/face/", NEW_PHONE)
    done = client.post("/appeals/face/", {"phone": NEW_PHONE, "sms_code": sms_inbox(NEW_PHONE)}).content.decode()
    assert "申诉成功" in done
    user.refresh_from_db()
    assert user.phone == NEW_PHONE and user.security_stamp != old_stamp
    assert FaceCheck.objects.get(user=user).status == FaceCheck.Status.USED
    assert AuditEvent.objects.filter(action="account.phone_appeal_replace", detail__channel="face").exists()
    assert "已绑定本手机号" in DevInboxMessage.objects.filter(recipient=NEW_PHONE).latest("id").body
    assert "更换为" in DevInboxMessage.objects.filter(recipient=old_phone).latest("id").body
    # the identity is used up
    assert client.get("/appeals/face/")["Location"] == "/appeals/"


def test_a_failed_face_check_changes_nothing_and_offers_the_material_appeal(client, captcha_solver, sms_inbox,
                                                                           candidate):
    user = candidate.user
    old_phone = user.phone
    identify(client, captcha_solver, user)
    client.post("/appeals/face/start/")
    scan(FaceCheck.objects.get(user=user), passed=False)
    panel = client.get("/appeals/face/status/").content.decode()
    assert "人脸识别未通过" in panel and "/appeals/material/" in panel
    send_code(client, captcha_solver, "/appeals/face/", NEW_PHONE)
    page = client.post("/appeals/face/", {"phone": NEW_PHONE, "sms_code": sms_inbox(NEW_PHONE)}).content.decode()
    assert "请先点击“获取人脸识别二维码”" in page
    user.refresh_from_db()
    assert user.phone == old_phone
    with pytest.raises(services.AppealError, match="请先完成人脸识别"):
        services.face_appeal_complete(check=FaceCheck.objects.get(user=user), new_phone=NEW_PHONE, sms_code="000000")


def test_the_qr_code_expires_on_the_server(candidate):
    check = services.face_check_start(user=candidate.user)
    later = check.expires_at + datetime.timedelta(seconds=1)
    assert services.face_check_refresh(check=check, now=later).status == FaceCheck.Status.EXPIRED
    # the phone page refuses too, once the QR code's time is over
    entry = face_check_provider().peek(check.session_id)
    entry["expires_at"] = timezone.now().timestamp() - 1
    from django.core.cache import cache

    cache.set("appeals:dev-face-check:" + check.session_id, entry)
    with pytest.raises(FaceCheckError, match="已过期"):
        scan(check)


def test_a_pass_after_expiry_does_not_count(candidate):
    check = services.face_check_start(user=candidate.user)
    scan(check)
    late = check.expires_at + datetime.timedelta(seconds=30)
    assert services.face_check_refresh(check=check, now=late).status == FaceCheck.Status.EXPIRED


def test_a_new_qr_code_voids_the_old_one(candidate):
    first = services.face_check_start(user=candidate.user)
    second = services.face_check_start(user=candidate.user)
    first.refresh_from_db()
    assert first.status == FaceCheck.Status.EXPIRED and second.status == FaceCheck.Status.PENDING


def test_a_pass_is_good_for_ten_minutes(candidate):
    check = services.face_check_start(user=candidate.user)
    scan(check)
    check = services.face_check_refresh(check=check)
    with pytest.raises(services.AppealError, match="超过10分钟"):
        services.face_appeal_complete(check=check, new_phone=NEW_PHONE, sms_code="123456",
                                      now=check.decided_at + datetime.timedelta(minutes=11))


def test_face_checks_are_limited_per_account_per_day(candidate):
    for _ in range(services.FACE_CHECKS_PER_DAY):
        services.face_check_start(user=candidate.user)
    with pytest.raises(services.AppealError, match="今日人脸识别次数已达上限"):
        services.face_check_start(user=candidate.user)


def test_the_dev_face_page_is_unknown_without_a_check(client, gansu):
    page = client.get("/appeals/dev/face-check/devnothing/").content.decode()
    assert "核验请求不存在" in page


def test_the_qr_lifetime_follows_the_setting(client, captcha_solver, candidate, settings):
    settings.KAOWU_FACE_CHECK_QR_SECONDS = 30
    identify(client, captcha_solver, candidate.user)
    assert 'data-seconds-left="30"' in client.post("/appeals/face/start/").content.decode()
    check = FaceCheck.objects.get(user=candidate.user)
    assert 29 <= (check.expires_at - timezone.now()).total_seconds() <= 30
