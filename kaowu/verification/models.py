from django.db import models
from django.utils.translation import gettext_lazy as _


class VerificationCode(models.Model):
    """A one-time code sent by SMS or e-mail, bound to one target and one purpose."""

    class Channel(models.TextChoices):
        SMS = "sms", _("短信")
        EMAIL = "email", _("邮件")

    class Purpose(models.TextChoices):
        REGISTER = "register", _("注册")
        LOGIN = "login", _("登录")
        RESET_PASSWORD = "reset_password", _("找回密码")
        CHANGE_PHONE_OLD = "change_phone_old", _("更换手机号（原手机）")
        CHANGE_PHONE_NEW = "change_phone_new", _("更换手机号（新手机）")
        ABANDON_REGISTRATION = "abandon_registration", _("放弃报名")
        FIND_EXAM_NUMBER = "find_exam_number", _("找回准考证号")
        APPEAL_NEW_PHONE = "appeal_new_phone", _("申诉新手机号")

    channel = models.CharField(max_length=5, choices=Channel.choices, default=Channel.SMS)
    target = models.CharField(_("接收号码/邮箱"), max_length=254, db_index=True)
    purpose = models.CharField(_("用途"), max_length=30, choices=Purpose.choices)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    consumed_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    requested_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("验证码")
        indexes = [models.Index(fields=["target", "purpose", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}（{self.get_channel_display()}）"


class CodeSendSlot(models.Model):
    """When a code was last sent for one key (a purpose and a phone, or what a visitor typed): one
    row per key, claimed by a conditional UPDATE (or the INSERT that creates it), so that of two
    requests at the same moment only one sends. The key is a keyed hash: no phone or ID number here."""

    key = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(_("最近发送时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("验证码发送间隔")

    def __str__(self) -> str:
        return self.key[:12]
