"""电子签名 use cases.

The calling app (考籍转出 提交, 考籍转入 确认转入 …):

    request = signature_request_create(user=..., purpose="考籍转出申请", subject=f"transfers.TransferOut:{pk}",
                                       version=v, content=text_the_candidate_signs, return_url=detail_url)
    return redirect(request_desktop_url)             # the desktop page: QR code, countdown, waits
    ...
    signature = signature_valid_for(subject=..., version=v, content=same_text)   # None until signed

The QR code opens /sign/<token>/ on the candidate's phone; the token is the key (long, random,
single use, valid KAOWU_SIGNATURE_QR_SECONDS). The desktop page polls and moves on to `return_url`
by itself once the phone has signed. A signature counts for the exact content (SHA-256) and
version it was made for.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kaowu.core.errors import UserFacingError

from .images import SignatureImageError, signature_png
from .models import SIGNATURE_FLOW, SignatureRequest

Status = SignatureRequest.Status


class SignatureError(UserFacingError):
    """扫码签字 refused, with the reason."""


def content_digest(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def signature_request_create(*, user, purpose: str, subject: str, version: int, content: str, return_url: str,
                             summary: str = "") -> SignatureRequest:
    """生成二维码进行签名: a new single-use request; earlier unsigned requests for the same subject are
    void (only the newest QR code works)."""
    return _create(user=user, purpose=purpose, subject=subject, version=version, digest=content_digest(content),
                   summary=summary or content, return_url=return_url)


def signature_request_renew(*, request: SignatureRequest) -> SignatureRequest:
    """重新生成二维码: the same content (digest) and version, a new code."""
    return _create(user=request.user, purpose=request.purpose, subject=request.subject, version=request.version,
                   digest=request.digest, summary=request.summary, return_url=request.return_url)


def _create(*, user, purpose, subject, version, digest, summary, return_url) -> SignatureRequest:
    now = timezone.now()
    with transaction.atomic():
        for old in SignatureRequest.objects.select_for_update().filter(subject=subject, user=user,
                                                                       status=Status.PENDING):
            old.status = Status.EXPIRED if old.expires_at <= now else Status.CANCELLED
            old.save(update_fields=["status"])
        return SignatureRequest.objects.create(
            token=secrets.token_urlsafe(32), user=user, purpose=purpose[:60], subject=subject[:80], version=version,
            digest=digest, summary=summary, return_url=return_url[:300],
            expires_at=now + timedelta(seconds=settings.KAOWU_SIGNATURE_QR_SECONDS))


def _lock(token: str) -> SignatureRequest:
    try:
        return SignatureRequest.objects.select_for_update().get(token=token)
    except SignatureRequest.DoesNotExist:
        raise SignatureError(gettext("二维码无效，请在电脑上重新生成二维码。")) from None


def _refuse_unusable(request: SignatureRequest) -> None:
    if request.status == Status.SIGNED:
        raise SignatureError(gettext("该二维码已完成签名，不能重复使用。"))
    if request.status == Status.CANCELLED:
        raise SignatureError(gettext("该二维码已作废，请扫描电脑上最新生成的二维码。"))
    if request.status == Status.EXPIRED or request.expires_at <= timezone.now():
        raise SignatureError(gettext("二维码已过期，请在电脑上重新生成二维码。"))


def signature_request_open(*, token: str) -> SignatureRequest:
    """The phone opened the QR link: the request, if it can still be signed."""
    with transaction.atomic():
        request = _lock(token)
        _refuse_unusable(request)
        if request.opened_at is None:
            request.opened_at = timezone.now()
            request.save(update_fields=["opened_at"])
    return request


def signature_submit(*, token: str, image_data_url: str, ip: str | None = None, agent: str = "") -> SignatureRequest:
    """确认签名 on the phone: store the handwriting and mark the request 已签名 (once)."""
    try:
        png = signature_png(image_data_url)
    except SignatureImageError as exc:
        raise SignatureError(str(exc), field="signature") from None
    with transaction.atomic():
        request = _lock(token)
        _refuse_unusable(request)
        SIGNATURE_FLOW.require(request.status, Status.SIGNED)
        # A newer version of the subject may have been signed meanwhile: that one counts.
        SignatureRequest.objects.select_for_update().filter(subject=request.subject, version=request.version,
                                                            status=Status.SIGNED).update(status=Status.CANCELLED)
        request.image.save(f"{request.token[:16]}.png", ContentFile(png), save=False)
        request.status, request.signed_at = Status.SIGNED, timezone.now()
        request.signer_ip, request.signer_agent = ip, (agent or "")[:200]
        request.save(update_fields=["image", "status", "signed_at", "signer_ip", "signer_agent"])
    return request


def signature_request_expire(*, request: SignatureRequest) -> SignatureRequest:
    with transaction.atomic():
        request = _lock(request.token)
        if request.status == Status.PENDING and request.expires_at <= timezone.now():
            request.status = Status.EXPIRED
            request.save(update_fields=["status"])
    return request


def signature_valid_for(*, subject: str, version: int, content: str) -> SignatureRequest | None:
    """The signature made for exactly this content and version of `subject`, or None."""
    return SignatureRequest.objects.filter(subject=subject, version=version, digest=content_digest(content),
                                           status=Status.SIGNED).first()
