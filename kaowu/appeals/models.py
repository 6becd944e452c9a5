"""A lost-phone appeal (账号申诉·修改手机号码, seed 000) is either

* a face appeal: a `FaceCheck` (支付宝人脸识别) passed, then the new phone is bound at once; or
* a material appeal: a `phone_appeal` application of the workflow engine (the 区县招办 reviews it)
  with its `AppealVideo`, stored privately and shown only to the reviewing office.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(18)


class FaceCheck(models.Model):
    """One 支付宝人脸识别 attempt of an account holder (who identified with 身份证号 + 姓名)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("等待扫码核验")
        PASSED = "passed", _("人脸识别已通过")
        FAILED = "failed", _("人脸识别未通过")
        EXPIRED = "expired", _("二维码已过期")
        USED = "used", _("已完成申诉")

    token = models.CharField(max_length=32, unique=True, default=new_token)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="face_checks")
    provider = models.CharField(_("核验服务"), max_length=30)
    session_id = models.CharField(_("核验单号"), max_length=64)
    qr_url = models.CharField(max_length=500)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("二维码失效时间"))
    decided_at = models.DateTimeField(_("核验结果时间"), null=True, blank=True)
    used_at = models.DateTimeField(_("完成申诉时间"), null=True, blank=True)
    requested_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("人脸识别申诉")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "created_at"], name="face_check_of_user")]
        constraints = [
            models.CheckConstraint(condition=~Q(status="used") | Q(used_at__isnull=False), name="used_face_check_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.status}"


def video_path(instance, filename: str) -> str:
    # Private storage (MEDIA_URL is not served): only the reviewing office's view reads these files.
    return f"appeals/{instance.application_id}/{secrets.token_hex(12)}.mp4"


class AppealVideo(models.Model):
    """The 身份证明视频 of a material appeal: an MP4 checked by content, size and duration."""

    application = models.OneToOneField("workflow.Application", on_delete=models.CASCADE, related_name="appeal_video",
                                       verbose_name=_("申请"))
    file = models.FileField(_("视频文件"), upload_to=video_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    duration_seconds = models.DecimalField(_("时长（秒）"), max_digits=7, decimal_places=2)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("申诉视频")

    def __str__(self) -> str:
        return self.original_name
