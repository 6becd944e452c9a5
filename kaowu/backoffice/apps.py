"""The staff back office."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "kaowu.backoffice"
    label = "backoffice"
    verbose_name = _("管理端")
