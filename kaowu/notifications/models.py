from django.db import models
from django.utils.translation import gettext_lazy as _


class DevInboxMessage(models.Model):
    """What the development providers 'sent': the dev inbox page shows these so that a person
    trying the site can finish every flow. Real providers never write here."""

    class Channel(models.TextChoices):
        SMS = "sms", _("短信")
        EMAIL = "email", _("邮件")

    channel = models.CharField(max_length=5, choices=Channel.choices)
    recipient = models.CharField(max_length=254, db_index=True)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = _("开发收件箱")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}"
