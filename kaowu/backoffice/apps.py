"""The staff back office."""

from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "kaowu.backoffice"
    label = "backoffice"
    verbose_name = "管理端"
