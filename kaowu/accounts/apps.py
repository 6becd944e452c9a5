"""Accounts, login, passwords and the security centre."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kaowu.accounts"
    label = "accounts"
    verbose_name = "账号"
