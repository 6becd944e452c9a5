"""WeChat sign-in providers (微信扫码授权).

A provider does two things, as WeChat's 网站应用 OAuth does:

* `authorize_url(state)` — where the QR code on the bind page points. The person scans it with
  WeChat, agrees, and WeChat sends the browser to our callback with `code` and the same `state`.
* `exchange(code) -> openid` — turn that one-time code into the WeChat identity (OpenID).

The development provider imitates this on this site: the QR code opens a "模拟微信授权" page
(mounted only in demo / dev-inbox mode) where 同意授权 redirects to the callback with a signed,
single-use code. Each browser that opens the page gets one stable fake WeChat identity (kept in a
cookie), so the same "person" can be tried against several accounts.
"""

import hashlib
import secrets
from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext

# WeChat's authorisation codes live five minutes and can be used once.
CODE_MAX_AGE_SECONDS = 300


class WeChatError(Exception):
    """The provider refused the code (expired, used, forged, or the gateway failed)."""


class WeChatProvider:
    name = "base"

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


@lru_cache(maxsize=1)
def wechat_provider() -> WeChatProvider:
    return import_string(settings.KAOWU_WECHAT_PROVIDER)()


def wechat_available() -> bool:
    """The development provider works only where its 模拟微信授权 page is mounted."""
    return not isinstance(wechat_provider(), DevWeChatProvider) or dev_wechat_enabled()
