"""Accounts, login, passwords and the security centre."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kaowu.accounts"
    label = "accounts"
    verbose_name = _("账号")

    def ready(self):
        from kaowu.verification.views import typed_phone_sender_register

        from .services.codes import phone_code_request

        typed_phone_sender_register(phone_code_request)
