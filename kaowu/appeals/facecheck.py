"""Face check providers (支付宝人脸识别) for the face appeal.

A provider does what Alipay's 身份验证 (certify) service does:

* `start(reference=..., real_name=..., id_number=..., seconds=...)` — open a check for this person;
  returns a `FaceCheckSession`: the provider's id of the check, the URL the QR code encodes (the
  person scans it with the Alipay app and looks into the camera) and when the QR code expires.
* `result(session_id)` — where the check stands: pending, passed or failed.

The provider is chosen by KAOWU_FACE_CHECK_PROVIDER (a dotted path). `HttpsFaceCheckProvider` is the
real one: the province's face check broker (which fronts Alipay's certify service) over the signed
JSON protocol of kaowu/core/providers.py. The development provider
imitates Alipay on this site: the QR code opens a "支付宝人脸核验" phone page (mounted only in demo /
dev-inbox mode) where the tester chooses 核验通过 or 核验不通过. Its checks live in the cache.
"""

import datetime
import secrets
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from kaowu.core.providers import ProviderUnavailable, setting_problems, signed_json_post, url_is_safe

PENDING, PASSED, FAILED = "pending", "passed", "failed"


class FaceCheckError(Exception):
    """The provider could not open or read a check (gateway down, check unknown)."""


@dataclass(frozen=True)
class FaceCheckSession:
    session_id: str
    qr_url: str  # absolute, or a path on this site
    expires_at: datetime.datetime


class FaceCheckProvider:
    name = "base"
    development = True  # a real provider says False (see kaowu/core/providers.py)

    def start(self, *, reference: str, real_name: str, id_number: str, seconds: int) -> FaceCheckSession:
        raise NotImplementedError

    def result(self, session_id: str) -> str:
        """PENDING, PASSED or FAILED."""
        raise NotImplementedError


def dev_face_check_enabled() -> bool:
    return bool(settings.DEMO_MODE or settings.KAOWU_DEV_INBOX)


class DevFaceCheckProvider(FaceCheckProvider):
    """Development stand-in for Alipay's face check (see the module docstring)."""

    name = "dev"
    development = True
    _prefix = "appeals:dev-face-check:"

    def _key(self, session_id: str) -> str:
        return self._prefix + session_id

    def start(self, *, reference: str, real_name: str, id_number: str, seconds: int) -> FaceCheckSession:
        if not dev_face_check_enabled():
            raise FaceCheckError(gettext("人脸识别服务暂未开放"))
        session_id = "dev" + secrets.token_hex(12)
        expires_at = timezone.now() + datetime.timedelta(seconds=seconds)
        # What Alipay knows of the check: the person (masked name only, for the page) and its state.
        cache.set(self._key(session_id), {"status": PENDING, "name": real_name[:1] + "*" * (len(real_name) - 1),
                                          "expires_at": expires_at.timestamp(), "reference": reference},
                  seconds + 600)
        return FaceCheckSession(session_id=session_id, qr_url=reverse("appeals:dev_face_check", args=[session_id]),
                                expires_at=expires_at)

    def peek(self, session_id: str) -> dict | None:
        return cache.get(self._key(session_id))

    def decide(self, session_id: str, *, passed: bool) -> dict:
        """What the phone page's 核验通过 / 核验不通过 does; refused once the QR code has expired."""
        entry = self.peek(session_id)
        if entry is None:
            raise FaceCheckError(gettext("核验请求不存在或已失效，请在电脑上重新获取二维码"))
        if entry["status"] != PENDING:
            raise FaceCheckError(gettext("本次核验已完成，请返回电脑查看结果"))
        if timezone.now().timestamp() > entry["expires_at"]:
            raise FaceCheckError(gettext("二维码已过期，请在电脑上重新获取二维码"))
        entry["status"] = PASSED if passed else FAILED
        cache.set(self._key(session_id), entry, 600)
        return entry

    def result(self, session_id: str) -> str:
        entry = self.peek(session_id)
        if entry is None:
            raise FaceCheckError(gettext("核验请求不存在或已失效"))
        return entry["status"]


class HttpsFaceCheckProvider(FaceCheckProvider):
    """The face check broker (KAOWU_FACE_CHECK_URL / _APP_ID / _SECRET), signed JSON calls:

        POST <url>/start   {"reference", "name", "id_number", "seconds"}
                   answer  {"session_id": "…", "qr_url": "https://…", "expires_at": <Unix seconds>}
        POST <url>/result  {"session_id"}
                   answer  {"status": "pending" | "passed" | "failed"}

    The broker opens the certify on Alipay (alipay.user.certify.open.initialize / certify) and reads
    its outcome (…query); a QR code URL that is not https, a malformed or unsigned answer, or no answer
    in time is a FaceCheckError."""

    name = "https-face-check"
    development = False

    @classmethod
    def configuration_problems(cls) -> list[str]:
        return setting_problems(required=("KAOWU_FACE_CHECK_URL", "KAOWU_FACE_CHECK_APP_ID",
                                          "KAOWU_FACE_CHECK_SECRET"), urls=("KAOWU_FACE_CHECK_URL",))

    def _call(self, action: str, payload: dict) -> dict:
        try:
            return signed_json_post(url=f"{settings.KAOWU_FACE_CHECK_URL.rstrip('/')}/{action}",
                                    app_id=settings.KAOWU_FACE_CHECK_APP_ID, secret=settings.KAOWU_FACE_CHECK_SECRET,
                                    payload=payload)
        except ProviderUnavailable as exc:
            raise FaceCheckError(gettext("人脸识别服务暂不可用，请稍后再试")) from exc

    def start(self, *, reference: str, real_name: str, id_number: str, seconds: int) -> FaceCheckSession:
        answer = self._call("start", {"reference": reference, "name": real_name, "id_number": id_number,
                                      "seconds": seconds})
        session_id, qr_url, expires = answer.get("session_id"), answer.get("qr_url"), answer.get("expires_at")
        if not (isinstance(session_id, str) and 0 < len(session_id) <= 64 and isinstance(qr_url, str)
                and len(qr_url) <= 500 and qr_url.startswith("https://") and url_is_safe(qr_url)
                and isinstance(expires, int | float)):
            raise FaceCheckError(gettext("人脸识别服务暂不可用，请稍后再试"))
        # Never longer than asked for, whatever the broker says.
        latest = timezone.now() + datetime.timedelta(seconds=seconds)
        try:
            expires_at = min(datetime.datetime.fromtimestamp(expires, tz=datetime.UTC), latest)
        except (OverflowError, ValueError, OSError):
            raise FaceCheckError(gettext("人脸识别服务暂不可用，请稍后再试")) from None
        return FaceCheckSession(session_id=session_id, qr_url=qr_url, expires_at=expires_at)

    def result(self, session_id: str) -> str:
        status = self._call("result", {"session_id": session_id}).get("status")
        if status not in (PENDING, PASSED, FAILED):
            raise FaceCheckError(gettext("人脸识别服务暂不可用，请稍后再试"))
        return status


@lru_cache(maxsize=1)
def face_check_provider() -> FaceCheckProvider:
    return import_string(settings.KAOWU_FACE_CHECK_PROVIDER)()
