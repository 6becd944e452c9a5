from django.db import models


class VerificationCode(models.Model):
    """A one-time code sent by SMS or e-mail, bound to one target and one purpose."""

    class Channel(models.TextChoices):
        SMS = "sms", "短信"
        EMAIL = "email", "邮件"

    class Purpose(models.TextChoices):
        REGISTER = "register", "注册"
        LOGIN = "login", "登录"
        RESET_PASSWORD = "reset_password", "找回密码"
        CHANGE_PHONE_OLD = "change_phone_old", "更换手机号（原手机）"
        CHANGE_PHONE_NEW = "change_phone_new", "更换手机号（新手机）"
        ABANDON_REGISTRATION = "abandon_registration", "放弃报名"
        FIND_EXAM_NUMBER = "find_exam_number", "找回准考证号"
        APPEAL_NEW_PHONE = "appeal_new_phone", "申诉新手机号"

    channel = models.CharField(max_length=5, choices=Channel.choices, default=Channel.SMS)
    target = models.CharField("接收号码/邮箱", max_length=254, db_index=True)
    purpose = models.CharField("用途", max_length=30, choices=Purpose.choices)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    consumed_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    requested_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "验证码"
        indexes = [models.Index(fields=["target", "purpose", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}（{self.get_channel_display()}）"
