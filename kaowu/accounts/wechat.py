"""WeChat sign-in providers (微信扫码授权).

A provider does two things, as WeChat's 网站应用 OAuth does:

* `authorize_url(state)` — where the QR code on the bind page points. The person scans it with
  WeChat, agrees, and WeChat sends the browser to our callback with `code` and the same `state`.
* `exchange(code) -> openid` — turn that one-time code into the WeChat identity (OpenID).

`WeChatOpenProvider` is the real one: 微信开放平台's 网站应用 login (qrconnect, then
sns/oauth2/access_token and sns/userinfo). The development provider imitates this on this site: the QR code opens a "模拟微信授权" page
(mounted only in demo / dev-inbox mode) where 同意授权 redirects to the callback with a signed,
single-use code. Each browser that opens the page gets one stable fake WeChat identity (kept in a
cookie), so the same "person" can be tried against several accounts.
"""

import hashlib
import secrets
from functools import lru_cache
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from kaowu.core.providers import ProviderUnavailable, json_get, setting_problems

# WeChat's authorisation codes live five minutes and can be used once.
CODE_MAX_AGE_SECONDS = 300


class WeChatError(Exception):
    """The provider refused the code (expired, used, forged, or the gateway failed)."""


class WeChatProvider:
    name = "base"
    development = True  # a real provider says False (see kaowu/core/providers.py)

    def authorize_url(self, state: str) -> str:
        """URL the QR code encodes (absolute, or a path on this site)."""
        raise NotImplementedError

    def exchange(self, code: str) -> str:
        """Return the OpenID the one-time `code` stands for; raise WeChatError if it is not valid."""
        raise NotImplementedError


def dev_wechat_enabled() -> bool:
    return bool(settings.DEMO_MODE or settings.KAOWU_DEV_INBOX)


class DevWeChatProvider(WeChatProvider):
    """Development stand-in for WeChat's QR authorisation (see module docstring)."""

    name = "dev"
    development = True
    cookie_name = "kaowu_dev_wechat"
    _code_salt = "kaowu.accounts.wechat.dev-code"

    def authorize_url(self, state: str) -> str:
        if not dev_wechat_enabled():
            raise WeChatError(gettext("微信绑定暂未开放"))
        return reverse("accounts:wechat_dev_authorize") + "?" + urlencode({"state": state})

    @staticmethod
    def new_openid() -> str:
        # Shaped like a real OpenID (28 characters starting with "o").
        return "o" + secrets.token_urlsafe(21)[:27]

    def code_issue(self, *, openid: str) -> str:
        """What WeChat would append to the redirect after 同意授权."""
        return signing.TimestampSigner(salt=self._code_salt).sign_object(
            {"openid": openid, "nonce": secrets.token_hex(8)}
        )

    def exchange(self, code: str) -> str:
        try:
            payload = signing.TimestampSigner(salt=self._code_salt).unsign_object(
                code or "", max_age=CODE_MAX_AGE_SECONDS
            )
        except signing.SignatureExpired as exc:
            raise WeChatError(gettext("微信授权已过期，请重新扫码")) from exc
        except signing.BadSignature as exc:
            raise WeChatError(gettext("微信授权无效，请重新扫码")) from exc
        used_key = "wechat:dev-code-used:" + hashlib.sha256(code.encode()).hexdigest()
        if not cache.add(used_key, 1, CODE_MAX_AGE_SECONDS * 2):
            raise WeChatError(gettext("微信授权已使用，请重新扫码"))
        openid = payload.get("openid") if isinstance(payload, dict) else None
        if not openid:
            raise WeChatError(gettext("微信授权无效，请重新扫码"))
        return openid


def wechat_redirect_uri() -> str:
    """The absolute callback address WeChat redirects to (its host is the registered 授权回调域)."""
    if settings.KAOWU_WECHAT_REDIRECT_URI:
        return settings.KAOWU_WECHAT_REDIRECT_URI
    base = settings.KAOWU_PUBLIC_BASE_URL.rstrip("/")
    return f"{base}{reverse('accounts:wechat_callback')}" if base else ""


class WeChatOpenProvider(WeChatProvider):
    """微信开放平台 网站应用 微信登录 (KAOWU_WECHAT_APP_ID / KAOWU_WECHAT_APP_SECRET).

    * The QR code: https://open.weixin.qq.com/connect/qrconnect?appid=…&redirect_uri=…&response_type=code
      &scope=snsapi_login&state=…#wechat_redirect — WeChat's page with its own QR code; after 确认登录
      WeChat sends the browser to the callback with `code` and `state` (none of `code` when refused).
    * `exchange`: GET sns/oauth2/access_token?appid&secret&code&grant_type=authorization_code gives
      {access_token, openid, …} or {errcode, errmsg} (40029 invalid code, 40163 code been used, …); then
      GET sns/userinfo?access_token&openid must name the same openid.
    """

    name = "wechat-open"
    development = False
    _code_errors = {40029, 40163, 41008, 42003}  # invalid, used, missing or expired code

    @classmethod
    def configuration_problems(cls) -> list[str]:
        problems = setting_problems(required=("KAOWU_WECHAT_APP_ID", "KAOWU_WECHAT_APP_SECRET"),
                                    urls=("KAOWU_WECHAT_OPEN_URL", "KAOWU_WECHAT_API_URL",
                                          "KAOWU_WECHAT_REDIRECT_URI"))
        if not (settings.KAOWU_WECHAT_REDIRECT_URI or settings.KAOWU_PUBLIC_BASE_URL):
            problems.append("KAOWU_WECHAT_REDIRECT_URI (or KAOWU_PUBLIC_BASE_URL) is not set")
        return problems

    def authorize_url(self, state: str) -> str:
        query = urlencode({"appid": settings.KAOWU_WECHAT_APP_ID, "redirect_uri": wechat_redirect_uri(),
                           "response_type": "code", "scope": "snsapi_login", "state": state}, quote_via=quote)
        return f"{settings.KAOWU_WECHAT_OPEN_URL.rstrip('/')}/connect/qrconnect?{query}#wechat_redirect"

    def _get(self, path: str, params: dict) -> dict:
        url = f"{settings.KAOWU_WECHAT_API_URL.rstrip('/')}{path}?{urlencode(params)}"
        try:
            data = json_get(url=url)
        except ProviderUnavailable as exc:
            raise WeChatError(gettext("微信服务暂不可用，请稍后重新扫码")) from exc
        errcode = data.get("errcode")
        if errcode not in (None, 0):
            if errcode in self._code_errors:
                raise WeChatError(gettext("微信授权已失效，请重新扫码"))
            raise WeChatError(gettext("微信授权失败，请稍后重新扫码"))
        return data

    def exchange(self, code: str) -> str:
        if not code:
            raise WeChatError(gettext("微信授权无效，请重新扫码"))
        token = self._get("/sns/oauth2/access_token", {
            "appid": settings.KAOWU_WECHAT_APP_ID, "secret": settings.KAOWU_WECHAT_APP_SECRET, "code": code,
            "grant_type": "authorization_code"})
        openid, access_token = token.get("openid"), token.get("access_token")
        if not (isinstance(openid, str) and openid and isinstance(access_token, str) and access_token):
            raise WeChatError(gettext("微信授权失败，请稍后重新扫码"))
        user = self._get("/sns/userinfo", {"access_token": access_token, "openid": openid})
        if user.get("openid") != openid:
            raise WeChatError(gettext("微信授权失败，请稍后重新扫码"))
        return openid


@lru_cache(maxsize=1)
def wechat_provider() -> WeChatProvider:
    return import_string(settings.KAOWU_WECHAT_PROVIDER)()


def wechat_available() -> bool:
    """The development provider works only where its 模拟微信授权 page is mounted."""
    return not isinstance(wechat_provider(), DevWeChatProvider) or dev_wechat_enabled()
