"""微信扫码登录: the login page's third tab signs in with the WeChat bound to a candidate account
(seed 000 §一.2 (2): 如果账号绑定了微信，考生需使用绑定该账号的微信进行扫码登录)."""

import re
from datetime import datetime, timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import signing
from django.test import Client, override_settings
from django.urls import reverse

from kaowu.accounts.services import wechat as wechat_state
from kaowu.accounts.wechat import DevWeChatProvider
from kaowu.audit.models import AuditEvent
from kaowu.testing.factories import CandidateFactory, ExamNumberFactory, UserFactory

from .helpers import captcha_key

BACKEND = "kaowu.accounts.backends.IdentifierBackend"
LOGIN = reverse("accounts:login")
STATUS = reverse("accounts:wechat_login_status")
HOME = reverse("portal:candidate_home")
SECURITY = reverse("accounts:security")
UNBOUND = "该微信未绑定考生账号。请先使用账号密码登录，在“安全中心”绑定微信后再扫码登录。"
NOON = datetime(2027, 4, 12, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def wechat_phone(openid: str | None = None) -> Client:
    """A phone whose WeChat is `openid` (a new, unbound WeChat if None), as the 模拟微信授权 page
    remembers it."""
    phone = Client()
    phone.cookies[DevWeChatProvider.cookie_name] = openid or DevWeChatProvider.new_openid()
    return phone


def bound_wechat(user) -> Client:
    user.wechat_openid = DevWeChatProvider.new_openid()
    user.save(update_fields=["wechat_openid"])
    return wechat_phone(user.wechat_openid)


def show_login_qr(browser: Client, query: str = "mode=wechat") -> str:
    """Open the 微信扫码登录 tab; return the address its QR code encodes (the authorize page)."""
    page = browser.get(f"{LOGIN}?{query}").content.decode()
    assert "<svg" in page and "微信扫码登录二维码" in page
    href = re.search(r'href="([^"]*dev-authorize[^"]*)"', page).group(1)
    parts = urlsplit(unescape(href))
    return f"{parts.path}?{parts.query}"


def answer(phone: Client, authorize_url: str, action: str = "agree"):
    """Scan the QR code and press 同意授权 (or 拒绝) on the phone."""
    page = phone.get(authorize_url).content.decode()
    state = re.search(r'name="state" value="([^"]+)"', page).group(1)
    return phone.post(authorize_url, {"state": state, "action": action}, follow=True)


def poll(browser: Client):
    return browser.get(STATUS, HTTP_HX_REQUEST="true")


def signed_in_user_id(client: Client):
    return client.session.get("_auth_user_id")


@pytest.fixture
def enrolled(gansu):
    return ExamNumberFactory(number="010122100004").candidate.user


def test_a_bound_wechat_signs_in_the_computer_that_shows_the_qr_code(client, enrolled):
    phone = bound_wechat(enrolled)
    authorize_url = show_login_qr(client)
    assert 'hx-trigger="every 2s"' in poll(client).content.decode()
    assert "申请使用你的微信身份登录" in phone.get(authorize_url).content.decode()

    phone_page = answer(phone, authorize_url).content.decode()
    done = poll(client)

    assert "授权成功，请回到电脑上的登录页面" in phone_page
    assert done["HX-Redirect"] == HOME
    assert signed_in_user_id(client) == str(enrolled.pk)
    page = client.get(HOME).content.decode()
    assert "个人中心" in page and "010122100004" in page  # the one 准考证号 is chosen
    assert signed_in_user_id(phone) is None  # the phone's own browser stays signed out
    assert AuditEvent.objects.filter(action="account.wechat_login", actor=enrolled).count() == 1


def test_the_qr_code_opened_in_the_same_browser_signs_in_directly(client, enrolled):
    client.cookies[DevWeChatProvider.cookie_name] = bound_wechat(enrolled).cookies[DevWeChatProvider.cookie_name].value

    response = answer(client, show_login_qr(client))

    assert response.redirect_chain[-1][0] == HOME
    assert signed_in_user_id(client) == str(enrolled.pk)
    assert poll(client)["HX-Redirect"] == HOME  # the login tab still polling moves on too


def test_wechat_login_goes_where_a_password_login_would(client, gansu):
    several = ExamNumberFactory(number="010122100011").candidate.user
    ExamNumberFactory(number="010122100012", candidate=several.candidate)
    issued = CandidateFactory(user=UserFactory(exam_type="upgrade", candidate_number="26620101130001",
                                               must_change_password=True)).user

    answer(bound_wechat(several), show_login_qr(client))
    assert poll(client)["HX-Redirect"] == reverse("accounts:choose_exam_number")

    other = Client()
    answer(bound_wechat(issued), show_login_qr(other))
    assert poll(other)["HX-Redirect"] == reverse("accounts:first_password_change")


def test_wechat_login_keeps_the_page_asked_for(client, enrolled):
    answer(bound_wechat(enrolled), show_login_qr(client, f"mode=wechat&next={SECURITY}"))
    assert poll(client)["HX-Redirect"] == SECURITY

    evil = Client()
    answer(bound_wechat(enrolled), show_login_qr(evil, "mode=wechat&next=https://evil.example/"))
    assert poll(evil)["HX-Redirect"] == HOME


def test_an_unbound_wechat_is_refused_on_both_screens(client, enrolled):
    phone_page = answer(wechat_phone(), show_login_qr(client)).content.decode()
    status = poll(client).content.decode()

    assert UNBOUND in phone_page
    assert UNBOUND in status and "刷新二维码" in status
    assert "hx-trigger" not in status  # no more polling
    assert signed_in_user_id(client) is None


def test_an_unbound_wechat_in_the_same_browser_is_sent_to_the_password_login(client, gansu):
    client.cookies[DevWeChatProvider.cookie_name] = DevWeChatProvider.new_openid()

    response = answer(client, show_login_qr(client))

    assert response.redirect_chain[-1][0] == LOGIN
    page = response.content.decode()
    assert UNBOUND in page and 'name="identifier"' in page
    assert UNBOUND in poll(client).content.decode()
    assert signed_in_user_id(client) is None


@pytest.mark.parametrize("why", ["disabled", "staff"])
def test_a_wechat_of_an_account_that_may_not_sign_in_gets_the_same_refusal(client, enrolled, why):
    phone = bound_wechat(enrolled)
    if why == "disabled":
        enrolled.is_active = False
        enrolled.save(update_fields=["is_active"])
    else:
        staff = UserFactory(kind="staff", id_number=None, exam_type="")
        enrolled.wechat_openid, staff.wechat_openid = None, enrolled.wechat_openid
        enrolled.save(update_fields=["wechat_openid"])
        staff.save(update_fields=["wechat_openid"])

    assert UNBOUND in answer(phone, show_login_qr(client)).content.decode()
    assert UNBOUND in poll(client).content.decode()
    assert signed_in_user_id(client) is None


def test_a_wechat_unbound_after_agreeing_does_not_sign_in(client, enrolled):
    answer(bound_wechat(enrolled), show_login_qr(client))
    enrolled.wechat_openid = None
    enrolled.save(update_fields=["wechat_openid"])

    assert UNBOUND in poll(client).content.decode()
    assert signed_in_user_id(client) is None


def test_the_qr_code_counts_down_and_expires_after_five_minutes(enrolled):
    with time_machine.travel(NOON, tick=False) as clock:
        browser = Client()
        authorize_url = show_login_qr(browser)
        clock.shift(timedelta(minutes=2))
        assert "剩余 3:00" in poll(browser).content.decode()
        clock.shift(timedelta(minutes=3, seconds=1))
        status = poll(browser).content.decode()
        phone_page = bound_wechat(enrolled).get(authorize_url).content.decode()

    assert "二维码已过期" in status and "刷新二维码" in status and "hx-trigger" not in status
    assert "二维码已过期，请在登录页面刷新二维码后重新扫码" in phone_page and "同意授权" not in phone_page
    assert signed_in_user_id(browser) is None


def test_an_expired_state_is_refused_even_if_agreed_in_time(enrolled):
    """WeChat's redirect arriving after the five minutes counts, not the moment of 同意."""
    with time_machine.travel(NOON, tick=False) as clock:
        browser, phone = Client(), bound_wechat(enrolled)
        authorize_url = show_login_qr(browser)
        state = parse_qs(urlsplit(authorize_url).query)["state"][0]
        code = DevWeChatProvider().code_issue(openid=enrolled.wechat_openid)
        clock.shift(timedelta(minutes=5, seconds=5))
        callback = phone.get(reverse("accounts:wechat_callback"), {"state": state, "code": code})
        status = poll(browser).content.decode()

    assert callback.status_code == 400 and "二维码已过期" in callback.content.decode()
    assert "二维码已过期" in status
    assert signed_in_user_id(browser) is None


def test_a_login_qr_code_works_once(client, enrolled):
    phone = bound_wechat(enrolled)
    authorize_url = show_login_qr(client)
    callback = answer(phone, authorize_url).redirect_chain[-1][0]
    poll(client)
    client.post(reverse("accounts:logout"))

    replay = Client().get(callback)
    again = answer(phone, authorize_url).content.decode()
    thief = Client()
    thief.get(callback)

    assert replay.status_code == 400 and "已失效或已使用" in replay.content.decode()
    assert "已失效或已使用" in again
    assert poll(client).status_code == 200 and signed_in_user_id(client) is None
    assert signed_in_user_id(thief) is None
    assert AuditEvent.objects.filter(action="account.wechat_login").count() == 1


def test_a_new_qr_code_retires_the_one_shown_before(client, enrolled):
    first = show_login_qr(client)
    show_login_qr(client)

    assert "已失效或已使用" in answer(bound_wechat(enrolled), first).content.decode()
    assert signed_in_user_id(client) is None


def test_refusing_on_the_phone_leaves_the_computer_signed_out(client, enrolled):
    phone_page = answer(bound_wechat(enrolled), show_login_qr(client), action="deny").content.decode()
    status = poll(client).content.decode()

    assert "您已拒绝授权，未登录" in phone_page
    assert "拒绝授权" in status and "刷新二维码" in status
    assert signed_in_user_id(client) is None


def test_refusing_in_the_same_browser_returns_to_the_login_page(client, enrolled):
    client.cookies[DevWeChatProvider.cookie_name] = bound_wechat(enrolled).cookies[DevWeChatProvider.cookie_name].value

    response = answer(client, show_login_qr(client), action="deny")

    assert response.redirect_chain[-1][0] == LOGIN
    assert "您已拒绝微信授权，未登录" in response.content.decode()
    assert "拒绝授权" in poll(client).content.decode()  # a login tab still polling says so too
    assert signed_in_user_id(client) is None


def test_the_password_lockout_does_not_block_wechat_login(client, captcha_solver, enrolled):
    for _ in range(5):
        key = captcha_key(client.get(LOGIN).content.decode())
        client.post(LOGIN, {"mode": "password", "identifier": enrolled.phone, "password": "wrong",
                            "captcha_0": key, "captcha_1": captcha_solver(key)})
    key = captcha_key(client.get(LOGIN).content.decode())
    locked = client.post(LOGIN, {"mode": "password", "identifier": enrolled.phone, "password": "wrong",
                                 "captcha_0": key, "captcha_1": captcha_solver(key)})
    assert locked.status_code == 429

    answer(bound_wechat(enrolled), show_login_qr(client))

    assert poll(client)["HX-Redirect"] == HOME
    assert signed_in_user_id(client) == str(enrolled.pk)


# --- A binding QR code never signs in; a login QR code never binds ------------------------------

def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def _bind_qr(client: Client) -> str:
    page = client.get(reverse("accounts:security_wechat")).content.decode()
    href = re.search(r'href="([^"]*dev-authorize[^"]*)"', page).group(1)
    parts = urlsplit(unescape(href))
    return f"{parts.path}?{parts.query}"


def test_a_binding_qr_code_cannot_sign_anyone_in(enrolled, gansu):
    other = CandidateFactory().user
    phone = bound_wechat(enrolled)  # a WeChat that could sign in to `enrolled`
    waiting_login = Client()
    show_login_qr(waiting_login)

    # The binding QR code of another account, scanned by that WeChat in the login page's browser.
    waiting_login.cookies[DevWeChatProvider.cookie_name] = phone.cookies[DevWeChatProvider.cookie_name].value
    page = answer(waiting_login, _bind_qr(_signed_in(other))).content.decode()

    assert "该微信已绑定其他考生账号" in page
    assert "hx-trigger" in poll(waiting_login).content.decode()  # still waiting for its own QR code
    assert signed_in_user_id(waiting_login) is None


def test_a_login_qr_code_cannot_bind_a_wechat(enrolled):
    me = _signed_in(enrolled)
    me.get(reverse("accounts:security_wechat"))  # the bind page is open too
    stranger_qr = show_login_qr(Client())

    # The signed-in candidate's own (unbound) WeChat answers somebody's login QR code.
    me.cookies[DevWeChatProvider.cookie_name] = DevWeChatProvider.new_openid()
    page = answer(me, stranger_qr).content.decode()

    assert UNBOUND in page
    enrolled.refresh_from_db()
    assert enrolled.wechat_openid is None
    assert "等待扫码授权" in me.get(reverse("accounts:security_wechat_status"), HTTP_HX_REQUEST="true").content.decode()


def test_a_state_signed_for_one_purpose_cannot_reach_the_other(client, enrolled):
    """Even a state signed with the other purpose is refused: the cache entry records its own."""
    phone = bound_wechat(enrolled)
    me = _signed_in(CandidateFactory().user)
    _bind_qr(me)
    show_login_qr(client)
    signer = signing.TimestampSigner(salt=wechat_state._STATE_SALT)
    bind_as_login = signer.sign("login:" + me.session["wechat_bind_nonce"])
    login_as_bind = signer.sign("bind:" + client.session["wechat_login_nonce"])

    for state in (bind_as_login, login_as_bind):
        code = DevWeChatProvider().code_issue(openid=enrolled.wechat_openid)
        response = phone.get(reverse("accounts:wechat_callback"), {"state": state, "code": code})
        assert response.status_code == 400 and "已失效或已使用" in response.content.decode()

    assert signed_in_user_id(client) is None and "hx-trigger" in poll(client).content.decode()


# --- Where WeChat is not available ---------------------------------------------------------------

def test_the_login_page_offers_three_ways_to_sign_in(client, gansu):
    page = client.get(LOGIN).content.decode()
    assert "账号密码登录" in page and "手机验证码登录" in page and "微信扫码登录" in page


@override_settings(DEMO_MODE=False, KAOWU_DEV_INBOX=False)
def test_without_wechat_the_tab_is_not_offered(client, gansu):
    assert "微信扫码登录" not in client.get(LOGIN).content.decode()
    page = client.get(f"{LOGIN}?mode=wechat").content.decode()
    assert "<svg" not in page and 'name="identifier"' in page  # the password tab instead
    assert client.get(STATUS, HTTP_HX_REQUEST="true").status_code == 404


def test_the_security_centre_says_the_bound_wechat_signs_in(enrolled):
    me = _signed_in(enrolled)
    assert "绑定后可在登录页面选择“微信扫码登录”" in me.get(SECURITY).content.decode()
    bound_wechat(enrolled)
    assert "可在登录页面选择“微信扫码登录”，使用该微信扫码登录" in me.get(SECURITY).content.decode()
