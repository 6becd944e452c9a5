"""Graphical captcha and SMS / e-mail verification codes with their limits."""

from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "kaowu.verification"
    label = "verification"
    verbose_name = "验证码"
