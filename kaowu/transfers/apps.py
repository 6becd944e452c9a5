"""转考: 省内转考 (seed 001) now; 考籍转出 / 转入 between provinces later. Application types of the
workflow engine, registered here."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransfersConfig(AppConfig):
    name = "kaowu.transfers"
    label = "transfers"
    verbose_name = _("转考")

    def ready(self) -> None:
        from kaowu.workflow.types import register

        from .within import TRANSFER_WITHIN_PROVINCE

        register(TRANSFER_WITHIN_PROVINCE)
