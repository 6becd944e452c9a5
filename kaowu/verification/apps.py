"""Graphical captcha and SMS / e-mail verification codes with their limits."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerificationConfig(AppConfig):
    name = "kaowu.verification"
    label = "verification"
    verbose_name = _("验证码")
