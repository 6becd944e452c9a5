"""Face check providers (支付宝人脸识别) for the face appeal.

A provider does what Alipay's 身份验证 (certify) service does:

* `start(reference=..., real_name=..., id_number=..., seconds=...)` — open a check for this person;
  returns a `FaceCheckSession`: the provider's id of the check, the URL the QR code encodes (the
  person scans it with the Alipay app and looks into the camera) and when the QR code expires.
* `result(session_id)` — where the check stands: pending, passed or failed.

The provider is chosen by KAOWU_FACE_CHECK_PROVIDER (a dotted path). The development provider
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


@lru_cache(maxsize=1)
def face_check_provider() -> FaceCheckProvider:
    return import_string(settings.KAOWU_FACE_CHECK_PROVIDER)()
