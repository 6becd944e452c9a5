"""微信开放平台 网站应用 login (WeChatOpenProvider) against a local stand-in of api.weixin.qq.com that
answers as WeChat documents: a code works once, for the right AppID and AppSecret."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from kaowu.accounts.wechat import WeChatError, WeChatOpenProvider
from kaowu.testing.http_server import Answer, local_server

OPENID = "oQ7Xv5Nq0Uu2Fh4bq0yY7lKp3sTz"


def wechat_api():
    used = set()

    def answer(request):
        q = request.query
        if request.path == "/sns/oauth2/access_token":
            if q.get("appid") != "wx0123456789abcdef" or q.get("secret") != "app-secret":
                return Answer(body=json.dumps({"errcode": 40125, "errmsg": "invalid appsecret"}).encode())
            if q.get("grant_type") != "authorization_code" or q.get("code") != "CODE-OK":
                return Answer(body=json.dumps({"errcode": 40029, "errmsg": "invalid code"}).encode())
            if q["code"] in used:
                return Answer(body=json.dumps({"errcode": 40163, "errmsg": "code been used"}).encode())
            used.add(q["code"])
            return Answer(body=json.dumps({"access_token": "ACCESS", "expires_in": 7200, "refresh_token": "R",
                                           "openid": OPENID, "scope": "snsapi_login"}).encode())
        if request.path == "/sns/userinfo" and q.get("access_token") == "ACCESS" and q.get("openid") == OPENID:
            return Answer(body=json.dumps({"openid": OPENID, "nickname": "考生", "unionid": "o6_bmasdasdsad6"},
                                          ensure_ascii=False).encode())
        return Answer(body=json.dumps({"errcode": 40001, "errmsg": "invalid credential"}).encode())

    return answer


@pytest.fixture
def wechat(settings):
    settings.KAOWU_WECHAT_APP_ID, settings.KAOWU_WECHAT_APP_SECRET = "wx0123456789abcdef", "app-secret"
    settings.KAOWU_PUBLIC_BASE_URL = "https://ks.example.org"
    with local_server(wechat_api()) as server:
        settings.KAOWU_WECHAT_API_URL = server.url
        yield server


def test_the_qr_page_is_wechats_qrconnect_with_our_callback_and_state(settings):
    settings.KAOWU_WECHAT_APP_ID, settings.KAOWU_PUBLIC_BASE_URL = "wx0123456789abcdef", "https://ks.example.org"
    url = WeChatOpenProvider().authorize_url("login:abc:sig")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path, parts.fragment) == (
        "https", "open.weixin.qq.com", "/connect/qrconnect", "wechat_redirect")
    assert parse_qs(parts.query) == {"appid": ["wx0123456789abcdef"], "response_type": ["code"],
                                     "scope": ["snsapi_login"], "state": ["login:abc:sig"],
                                     "redirect_uri": ["https://ks.example.org/accounts/wechat/callback/"]}


def test_a_code_gives_the_openid_once(wechat):
    provider = WeChatOpenProvider()
    assert provider.exchange("CODE-OK") == OPENID
    with pytest.raises(WeChatError, match="已失效"):
        provider.exchange("CODE-OK")
    assert [r.path for r in wechat.requests] == ["/sns/oauth2/access_token", "/sns/userinfo",
                                                  "/sns/oauth2/access_token"]


def test_a_forged_code_is_refused(wechat):
    with pytest.raises(WeChatError, match="已失效"):
        WeChatOpenProvider().exchange("CODE-FORGED")


def test_a_wrong_app_secret_is_refused(wechat, settings):
    settings.KAOWU_WECHAT_APP_SECRET = "wrong"
    with pytest.raises(WeChatError, match="授权失败"):
        WeChatOpenProvider().exchange("CODE-OK")


def test_wechat_unreachable_is_refused(settings):
    settings.KAOWU_WECHAT_API_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    with pytest.raises(WeChatError, match="暂不可用"):
        WeChatOpenProvider().exchange("CODE-OK")


def test_the_provider_reports_what_is_missing(settings):
    settings.KAOWU_WECHAT_APP_ID = settings.KAOWU_WECHAT_APP_SECRET = ""
    settings.KAOWU_PUBLIC_BASE_URL = settings.KAOWU_WECHAT_REDIRECT_URI = ""
    assert WeChatOpenProvider.configuration_problems() == [
        "KAOWU_WECHAT_APP_ID is not set", "KAOWU_WECHAT_APP_SECRET is not set",
        "KAOWU_WECHAT_REDIRECT_URI (or KAOWU_PUBLIC_BASE_URL) is not set"]
