"""实践性环节报名 (issue #14 item 2, seed 001): a candidate registers for the practical components
(实践课程) of his plan inside the window and pays; the 主考学校 records 合格 / 不合格, and 合格 joins the
考籍 (`records.PassedCourse`, source 实践考核合格)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticalsConfig(AppConfig):
    name = "kaowu.practicals"
    label = "practicals"
    verbose_name = _("实践性环节")

    def ready(self) -> None:
        from kaowu.workflow.types import register

        from .types import PracticalRegistration

        register(PracticalRegistration)  # its PaymentGate subscribes to paid orders of 实践性环节报名
