"""账号申诉 (seed 000): a candidate who lost the phone bound to the account binds a new one, by a
支付宝人脸识别 check or by a material appeal (video) the 区县招办 reviews. The material appeal is an
application type of the workflow engine, registered here."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "kaowu.appeals"
    label = "appeals"
    verbose_name = _("账号申诉")

    def ready(self) -> None:
        from kaowu.workflow.types import register

        from .material import PHONE_APPEAL

        register(PHONE_APPEAL)
