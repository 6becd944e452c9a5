"""安全中心: 修改密码, 更换手机号, 绑定邮箱, 绑定微信, 退出所有设备."""

import re
from datetime import datetime, timedelta
from html import unescape
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.http import Http404
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from kaowu.audit.models import AuditEvent
from kaowu.notifications.models import DevInboxMessage
from kaowu.testing.factories import TEST_PASSWORD, CandidateFactory, UserFactory

BACKEND = "kaowu.accounts.backends.IdentifierBackend"
SECURITY = reverse("accounts:security")
NEW_PASSWORD = "Another-pass-2027"


def captcha_key(html: str) -> str:
    match = re.search(r'name="captcha_0" value="([^"]+)"', html)
    assert match, "no captcha on the page"
    return match.group(1)


def signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def last_sms(phone):
    message = DevInboxMessage.objects.filter(recipient=phone).order_by("-id").first()
    return message.body if message else ""


@pytest.fixture
def candidate(gansu):
    return CandidateFactory().user


@pytest.fixture
def me(candidate):
    return signed_in_client(candidate)


def test_the_security_centre_lists_every_setting_with_the_phone_masked(me, candidate):
    page = me.get(SECURITY).content.decode()
    for title in ("修改密码", "绑定手机", "绑定邮箱", "绑定微信", "退出所有设备"):
        assert title in page
    assert candidate.phone[:3] + "****" + candidate.phone[-4:] in page
    assert candidate.phone not in page


def test_the_security_centre_needs_a_signed_in_candidate(client, gansu):
    response = client.get(SECURITY)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


# --- 修改密码 ------------------------------------------------------------------------------------

def test_changing_the_password_keeps_this_device_and_signs_out_the_others(me, candidate):
    other_device = signed_in_client(candidate)

    response = me.post(reverse("accounts:security_password"), {
        "old_password": TEST_PASSWORD, "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)

    assert "密码已修改" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.check_password(NEW_PASSWORD)
    assert me.get(SECURITY).status_code == 200
    assert other_device.get(SECURITY).status_code == 302
    assert "密码已修改" in last_sms(candidate.phone)
    assert AuditEvent.objects.filter(action="account.password_change", actor=candidate).exists()


def test_a_wrong_old_password_changes_nothing(me, candidate):
    page = me.post(reverse("accounts:security_password"), {
        "old_password": "not-my-password", "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    }).content.decode()

    assert "原密码不正确" in page
    candidate.refresh_from_db()
    assert candidate.check_password(TEST_PASSWORD)


def test_the_new_password_follows_the_accounts_policy(gansu):
    user = CandidateFactory(user=UserFactory(exam_type="upgrade", candidate_number="26620101130021")).user
    page = signed_in_client(user).post(reverse("accounts:security_password"), {
        "old_password": TEST_PASSWORD, "new_password": "longbutlowercase", "new_password2": "longbutlowercase",
    }).content.decode()
    assert "须包含大写字母" in page


# --- 更换手机号 ----------------------------------------------------------------------------------

def _verify_old_phone(client, user, sms_inbox):
    sent = client.post(reverse("accounts:security_phone_send_code"), HTTP_HX_REQUEST="true").content.decode()
    assert "验证码已发送至" in sent
    return client.post(reverse("accounts:security_phone"), {"sms_code": sms_inbox(user.phone)})


def _request_new_phone_code(client, captcha_solver, phone):
    key = captcha_key(client.get(reverse("accounts:security_phone_new")).content.decode())
    return client.post(reverse("verification:sms_send", args=["change_phone_new"]),
                       {"phone": phone, "captcha_0": key, "captcha_1": captcha_solver(key)},
                       HTTP_HX_REQUEST="true").content.decode()


def test_candidate_changes_the_phone_after_confirming_the_old_one(me, candidate, captcha_solver, sms_inbox):
    old_phone, new_phone = candidate.phone, "13712345678"

    step_one = _verify_old_phone(me, candidate, sms_inbox)
    assert step_one.status_code == 302 and step_one.url == reverse("accounts:security_phone_new")
    assert "验证码已发送" in _request_new_phone_code(me, captcha_solver, new_phone)
    response = me.post(reverse("accounts:security_phone_new"),
                       {"phone": new_phone, "sms_code": sms_inbox(new_phone)}, follow=True)

    assert "手机号已更换为 137****5678" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.phone == new_phone
    assert "已更换为137****5678" in last_sms(old_phone)


def test_the_old_phone_code_is_sent_to_the_bound_phone_only(me, candidate):
    me.post(reverse("accounts:security_phone_send_code"), {"phone": "13700000000"}, HTTP_HX_REQUEST="true")
    assert DevInboxMessage.objects.filter(recipient=candidate.phone).count() == 1
    assert not DevInboxMessage.objects.filter(recipient="13700000000").exists()


def test_a_wrong_old_phone_code_does_not_open_step_two(me, candidate, sms_inbox):
    me.post(reverse("accounts:security_phone_send_code"), HTTP_HX_REQUEST="true")
    wrong = "000000" if sms_inbox(candidate.phone) != "000000" else "111111"
    page = me.post(reverse("accounts:security_phone"), {"sms_code": wrong}).content.decode()
    assert "验证码错误或已过期" in page
    assert me.get(reverse("accounts:security_phone_new")).status_code == 302


def test_step_two_of_the_phone_change_needs_step_one(me):
    response = me.get(reverse("accounts:security_phone_new"))
    assert response.status_code == 302 and response.url == reverse("accounts:security_phone")


def test_a_phone_bound_to_another_account_is_refused_with_a_clear_message(me, candidate, captcha_solver, sms_inbox):
    other = CandidateFactory().user
    _verify_old_phone(me, candidate, sms_inbox)

    assert "该手机号已绑定其他账号" in _request_new_phone_code(me, captcha_solver, other.phone)
    page = me.post(reverse("accounts:security_phone_new"),
                   {"phone": other.phone, "sms_code": "123456"}).content.decode()

    assert "该手机号已绑定其他账号" in page
    assert f'value="{other.phone}"' in page
    candidate.refresh_from_db()
    assert candidate.phone != other.phone


# --- 绑定邮箱 ------------------------------------------------------------------------------------

def _link_from(mail) -> str:
    return urlsplit(re.search(r"http://\S+", mail.body).group(0)).path


def test_an_emailed_link_verifies_and_binds_the_email(me, candidate, mailoutbox):
    response = me.post(reverse("accounts:security_email"), {"email": "LiNa@Example.com"}, follow=True)
    assert "验证邮件已发送至 li***@example.com" in response.content.decode()
    assert mailoutbox[-1].to == ["lina@example.com"]

    page = Client().get(_link_from(mailoutbox[-1])).content.decode()  # opened in another browser, signed out

    assert "邮箱绑定成功" in page
    candidate.refresh_from_db()
    assert candidate.email == "lina@example.com" and candidate.email_verified_at is not None
    assert "已绑定" in me.get(SECURITY).content.decode()


def test_an_email_link_older_than_a_day_is_refused(candidate, mailoutbox):
    with time_machine.travel(datetime(2027, 4, 12, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False) as clock:
        signed_in_client(candidate).post(reverse("accounts:security_email"), {"email": "lina@example.com"})
        clock.shift(timedelta(hours=25))
        response = Client().get(_link_from(mailoutbox[-1]))

    assert response.status_code == 400
    assert "验证链接已过期" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.email is None


def test_a_forged_email_link_is_refused(me, candidate, mailoutbox):
    me.post(reverse("accounts:security_email"), {"email": "lina@example.com"})
    path = _link_from(mailoutbox[-1])
    forged = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]

    response = me.get(forged)

    assert response.status_code == 400 and "验证链接无效" in response.content.decode()
    assert Client().get(reverse("accounts:security_email_verify", args=["nonsense"])).status_code == 400
    candidate.refresh_from_db()
    assert candidate.email is None


def test_an_email_link_dies_when_the_account_signs_out_everywhere(me, candidate, mailoutbox):
    me.post(reverse("accounts:security_email"), {"email": "lina@example.com"})
    me.post(reverse("accounts:security_sign_out_others"))
    assert "已失效" in me.get(_link_from(mailoutbox[-1])).content.decode()


def test_an_email_bound_to_another_account_is_refused(me, mailoutbox):
    CandidateFactory(user=UserFactory(email="taken@example.com", email_verified_at=timezone.now()))
    page = me.post(reverse("accounts:security_email"), {"email": "Taken@example.com"}).content.decode()
    assert "该邮箱已绑定其他账号" in page and 'value="Taken@example.com"' in page
    assert mailoutbox == []


def test_unbinding_the_email_needs_the_password(me, candidate):
    candidate.email, candidate.email_verified_at = "lina@example.com", timezone.now()
    candidate.save()

    wrong = me.post(reverse("accounts:security_email_unbind"), {"unbind-password": "nope"}).content.decode()
    assert "登录密码不正确" in wrong
    me.post(reverse("accounts:security_email_unbind"), {"unbind-password": TEST_PASSWORD})

    candidate.refresh_from_db()
    assert candidate.email is None and candidate.email_verified_at is None


# --- 绑定微信 ------------------------------------------------------------------------------------

def _authorize_url(client) -> str:
    page = client.get(reverse("accounts:security_wechat")).content.decode()
    assert "<svg" in page  # the QR code
    href = re.search(r'href="([^"]*dev-authorize[^"]*)"', page).group(1)
    parts = urlsplit(unescape(href))
    return f"{parts.path}?{parts.query}"


def _scan_and_agree(phone: Client, authorize_url: str):
    page = phone.get(authorize_url)
    assert "同意授权" in page.content.decode()
    state = re.search(r'name="state" value="([^"]+)"', page.content.decode()).group(1)
    return phone.post(authorize_url, {"state": state, "action": "agree"}, follow=True)


def test_wechat_binding_in_a_new_tab_binds_the_account(me, candidate):
    response = _scan_and_agree(me, _authorize_url(me))

    assert response.redirect_chain[-1][0] == SECURITY
    assert "微信绑定成功" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.wechat_openid and candidate.wechat_bound_at
    assert AuditEvent.objects.filter(action="account.wechat_bind", actor=candidate).exists()


def test_wechat_binding_scanned_on_a_phone_is_picked_up_by_the_waiting_page(me, candidate):
    url = _authorize_url(me)
    waiting = me.get(reverse("accounts:security_wechat_status"), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in waiting.content.decode()

    phone_page = _scan_and_agree(Client(), url).content.decode()
    assert "授权成功" in phone_page

    done = me.get(reverse("accounts:security_wechat_status"), HTTP_HX_REQUEST="true")
    assert done["HX-Redirect"] == SECURITY
    candidate.refresh_from_db()
    assert candidate.wechat_openid
    assert "微信绑定成功" in me.get(SECURITY).content.decode()


def test_one_wechat_cannot_be_bound_to_two_accounts(me, candidate, gansu):
    phone = Client()  # the same person's WeChat scans for both accounts
    _scan_and_agree(phone, _authorize_url(me))
    me.get(reverse("accounts:security_wechat_status"), HTTP_HX_REQUEST="true")
    candidate.refresh_from_db()
    assert candidate.wechat_openid
    other = CandidateFactory().user
    other_client = signed_in_client(other)

    phone_page = _scan_and_agree(phone, _authorize_url(other_client)).content.decode()

    assert "该微信已绑定其他考生账号" in phone_page
    status = other_client.get(reverse("accounts:security_wechat_status"), HTTP_HX_REQUEST="true").content.decode()
    assert "该微信已绑定其他考生账号" in status
    other.refresh_from_db()
    assert other.wechat_openid is None


def test_refusing_the_wechat_authorisation_binds_nothing(me, candidate):
    url = _authorize_url(me)
    phone = Client()
    page = phone.get(url).content.decode()
    state = re.search(r'name="state" value="([^"]+)"', page).group(1)

    phone.post(url, {"state": state, "action": "deny"}, follow=True)

    status = me.get(reverse("accounts:security_wechat_status"), HTTP_HX_REQUEST="true").content.decode()
    assert "拒绝授权" in status
    candidate.refresh_from_db()
    assert candidate.wechat_openid is None


def test_a_wechat_callback_cannot_be_replayed(me, candidate):
    phone = Client()
    response = _scan_and_agree(phone, _authorize_url(me))
    callback = response.redirect_chain[-1][0]

    replay = Client().get(callback)

    assert replay.status_code == 400 and "已失效或已使用" in replay.content.decode()


def test_an_expired_wechat_qr_code_is_refused(candidate):
    with time_machine.travel(datetime(2027, 4, 12, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False) as clock:
        me = signed_in_client(candidate)
        url = _authorize_url(me)
        clock.shift(timedelta(minutes=6))
        page = Client().get(url).content.decode()
        status = me.get(reverse("accounts:security_wechat_status"), HTTP_HX_REQUEST="true").content.decode()

    assert "二维码已过期" in page and "同意授权" not in page
    assert "二维码已过期" in status


def test_unbinding_wechat_needs_the_password(me, candidate):
    _scan_and_agree(me, _authorize_url(me))

    wrong = me.post(reverse("accounts:security_wechat_unbind"), {"unbind-password": "nope"}).content.decode()
    assert "登录密码不正确" in wrong
    candidate.refresh_from_db()
    assert candidate.wechat_openid

    response = me.post(reverse("accounts:security_wechat_unbind"), {"unbind-password": TEST_PASSWORD}, follow=True)
    assert "微信已解绑" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.wechat_openid is None


@override_settings(DEMO_MODE=False, KAOWU_DEV_INBOX=False)
def test_the_pretend_wechat_pages_are_closed_outside_demo_and_development(me):
    assert "微信绑定暂未开放" in me.get(reverse("accounts:security_wechat")).content.decode()
    from kaowu.accounts.views.security import wechat_dev_authorize

    with pytest.raises(Http404):  # even where the URL is still mounted
        wechat_dev_authorize(RequestFactory().get("/accounts/wechat/dev-authorize/?state=x"))


# --- 退出所有设备 --------------------------------------------------------------------------------

def test_signing_out_everywhere_ends_other_sessions_and_keeps_this_one(me, candidate):
    other_device = signed_in_client(candidate)
    assert other_device.get(SECURITY).status_code == 200

    response = me.post(reverse("accounts:security_sign_out_others"), follow=True)

    assert "已退出其他所有设备上的登录，当前设备保持登录" in response.content.decode()
    assert me.get(SECURITY).status_code == 200
    gone = other_device.get(SECURITY)
    assert gone.status_code == 302 and gone.url.startswith(reverse("accounts:login"))
