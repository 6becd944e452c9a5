"""微信扫码授权: the one-use `state` behind every WeChat QR code, shared by 绑定微信 (security.py)
and 微信扫码登录 (login.py).

A page that shows a QR code starts a state for a `purpose` ("bind" or "login"): a random nonce
kept in that browser's session and in the cache, signed with the purpose and a timestamp (valid
five minutes). WeChat's redirect (`accounts:wechat_callback`) may arrive from the phone that
scanned the code (another session) or from the same browser; it only records what WeChat said
against the nonce. What the authorisation does — bind the account, sign the browser in — is done
by a request of the session that started the state, which alone holds the nonce.

The purpose is in the signed state and in the cache entry, and both must agree: a state shown for
binding can never sign anyone in, and a login state can never bind a WeChat to an account.
"""

import hashlib
import secrets
from typing import NamedTuple

from django.core import signing
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import User
from ..wechat import WeChatError, wechat_provider
from . import AccountError

WECHAT_STATE_MAX_AGE_SECONDS = 300

WECHAT_TAKEN_MESSAGE = _("该微信已绑定其他考生账号，一个微信只能绑定一个账号。请先用该微信对应的账号登录并解绑，或换一个微信扫码。")
WECHAT_UNBOUND_MESSAGE = _("该微信未绑定考生账号。请先使用账号密码登录，在“安全中心”绑定微信后再扫码登录。")

_STATE_SALT = "kaowu.accounts.wechat.state"


class WeChatPurpose:
    BIND = "bind"
    LOGIN = "login"
    ALL = (BIND, LOGIN)


class WeChatStatus:
    PENDING = "pending"        # QR code shown, nobody agreed yet
    AUTHORIZED = "authorized"  # WeChat agreed; the waiting session has not acted on it yet
    DENIED = "denied"          # 拒绝 on the phone
    FAILED = "failed"          # the code or the WeChat was refused; `error` says why
    BOUND = "bound"            # bind: done
    SIGNED_IN = "signed_in"    # login: done


# Where the person goes to get a new QR code, for the messages.
_PAGE = {WeChatPurpose.BIND: _("绑定页面"), WeChatPurpose.LOGIN: _("登录页面")}


class WeChatState(NamedTuple):
    purpose: str
    nonce: str


def _state_key(nonce: str) -> str:
    return "wechat:state:" + hashlib.sha256(nonce.encode()).hexdigest()


def _session_key(purpose: str) -> str:
    return f"wechat_{purpose}_nonce"


def wechat_state_begin(*, request, purpose: str, **data) -> str:
    """Start a state for `purpose` in this browser's session; return it for the QR code. `data`
    (ids, a safe `next` URL) is kept with it. Starting again retires this session's previous QR code."""
    assert purpose in WeChatPurpose.ALL
    wechat_state_forget(request=request, purpose=purpose)
    nonce = secrets.token_urlsafe(18)
    cache.set(_state_key(nonce), {**data, "purpose": purpose, "status": WeChatStatus.PENDING,
                                  "started_at": timezone.now().timestamp()},
              WECHAT_STATE_MAX_AGE_SECONDS + 60)
    request.session[_session_key(purpose)] = nonce
    return signing.TimestampSigner(salt=_STATE_SALT).sign(f"{purpose}:{nonce}")


def _state_parse(value: str) -> WeChatState | None:
    purpose, _, nonce = (value or "").partition(":")
    return WeChatState(purpose, nonce) if purpose in WeChatPurpose.ALL and nonce else None


def wechat_state_peek(*, state: str) -> WeChatState | None:
    """What a state is for, if it was signed here — expired or not. For choosing where to send
    someone; never a permission."""
    try:
        return _state_parse(signing.TimestampSigner(salt=_STATE_SALT).unsign(state or ""))
    except signing.BadSignature:
        return None


def wechat_state_check(*, state: str) -> WeChatState:
    """The purpose and nonce of a valid, unexpired state (does not consume it)."""
    seen = wechat_state_peek(state=state)
    if seen is None:
        raise AccountError(gettext("二维码无效，请刷新二维码后重新扫码"))
    try:
        signing.TimestampSigner(salt=_STATE_SALT).unsign(state, max_age=WECHAT_STATE_MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        raise AccountError(
            gettext("二维码已过期，请在%(page)s刷新二维码后重新扫码") % {"page": _PAGE[seen.purpose]}
        ) from None
    return seen


def wechat_account(*, openid: str) -> User | None:
    """The active candidate account this WeChat is bound to."""
    return User.objects.filter(wechat_openid=openid, kind=User.Kind.CANDIDATE, is_active=True).first()


def _refusal(*, purpose: str, entry: dict, openid: str) -> str | None:
    """Why this WeChat cannot be used for this state, told at once on the phone and on the page."""
    if purpose == WeChatPurpose.BIND:
        if User.objects.filter(wechat_openid=openid).exclude(pk=entry["user_id"]).exists():
            return WECHAT_TAKEN_MESSAGE
    elif wechat_account(openid=openid) is None:
        # Unbound, or bound to an account that may not sign in: the same words either way.
        return WECHAT_UNBOUND_MESSAGE
    return None


def wechat_authorization_receive(*, state: str, code: str | None) -> tuple[WeChatState, dict]:
    """Handle WeChat's redirect (同意授权 brings a code, 拒绝 none). Consumes the state.
    Returns (state, entry); raises AccountError if the state, the code or the WeChat is not good."""
    seen = wechat_state_check(state=state)
    key = _state_key(seen.nonce)
    entry = cache.get(key)
    # cache.add is atomic: only the first callback for a state gets past this line.
    if (entry is None or entry.get("purpose") != seen.purpose or entry.get("status") != WeChatStatus.PENDING
            or not cache.add(key + ":used", 1, 3600)):
        raise AccountError(gettext("二维码已失效或已使用，请在%(page)s刷新二维码后重新扫码") % {"page": _PAGE[seen.purpose]})
    if not code:
        entry["status"] = WeChatStatus.DENIED
        cache.set(key, entry, WECHAT_STATE_MAX_AGE_SECONDS)
        return seen, entry
    try:
        openid = wechat_provider().exchange(code)
    except WeChatError as exc:
        entry.update(status=WeChatStatus.FAILED, error=str(exc))
        cache.set(key, entry, WECHAT_STATE_MAX_AGE_SECONDS)
        raise AccountError(str(exc)) from exc
    refusal = _refusal(purpose=seen.purpose, entry=entry, openid=openid)
    if refusal:
        entry.update(status=WeChatStatus.FAILED, error=refusal)
        cache.set(key, entry, WECHAT_STATE_MAX_AGE_SECONDS)
        raise AccountError(refusal)
    entry.update(status=WeChatStatus.AUTHORIZED, openid=openid)
    cache.set(key, entry, WECHAT_STATE_MAX_AGE_SECONDS)
    return seen, entry


def wechat_session_nonce(*, request, purpose: str) -> str | None:
    """The nonce of the QR code this browser is showing for `purpose`, if any."""
    return request.session.get(_session_key(purpose))


def wechat_state_entry(*, request, purpose: str, nonce: str | None = None) -> tuple[str, dict] | None:
    """(nonce, entry) of this session's state for `purpose` (or of `nonce`), or None when there is
    none, it is for another purpose, or its QR code expired unused."""
    nonce = nonce or wechat_session_nonce(request=request, purpose=purpose)
    if not nonce:
        return None
    entry = cache.get(_state_key(nonce))
    if entry is None or entry.get("purpose") != purpose:
        return None
    if entry["status"] == WeChatStatus.PENDING and wechat_state_seconds_left(entry) <= 0:
        return None
    return nonce, entry


def wechat_state_save(*, nonce: str, entry: dict) -> None:
    cache.set(_state_key(nonce), entry, WECHAT_STATE_MAX_AGE_SECONDS)


def wechat_state_claim(*, nonce: str) -> bool:
    """True once per state: for acting on an authorisation exactly once."""
    return cache.add(_state_key(nonce) + ":claimed", 1, 3600)


def wechat_state_seconds_left(entry: dict) -> int:
    """How long the QR code of a pending state stays valid."""
    elapsed = timezone.now().timestamp() - entry.get("started_at", 0)
    return max(0, int(WECHAT_STATE_MAX_AGE_SECONDS - elapsed))


def wechat_state_forget(*, request, purpose: str, nonce: str | None = None) -> None:
    session_nonce = request.session.pop(_session_key(purpose), None)
    for key in {nonce, session_nonce} - {None}:
        cache.delete(_state_key(key))
